# Quick start: `make demo` runs the tool on sample_data/, `make test` runs the whole test suite.
# Each creates .venv with everything it needs on first use (Python 3.11+ and pip are all a machine needs).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE := sample_data/danh_sach_dang_vien.xlsx
PLANTED := sample_data/danh_sach_dang_vien_loi.xlsx
AS_OF := 2020-03-31

.PHONY: demo serve test pytest check lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dangvien read $(SAMPLE)
	@echo
	mkdir -p out; $(BIN)/dangvien validate $(PLANTED) --as-of $(AS_OF) --annotate out/da_kiem_tra.xlsx; \
	  status=$$?; [ $$status -le 1 ] || exit $$status
	@echo
	$(BIN)/dangvien summary $(SAMPLE) --declared sample_data/bao_cao_so_luong.xlsx -o out/tong_hop.xlsx; \
	  status=$$?; [ $$status -le 1 ] || exit $$status

# The local web page (dangvien serve): a free port on 127.0.0.1, printed, and the browser opened.
serve: $(STAMP)
	$(BIN)/dangvien serve

# The whole check: lint, format, types, then the tests (what CI runs).
test: lint typecheck pytest

pytest: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks sample_data
	$(BIN)/ruff format --check src tests

typecheck: $(STAMP)
	$(BIN)/mypy

check: test

# The short side-by-side run (~7 min: 100k members, the floors, the command line and the script runs, 5 rounds);
# e.g. `make bench BENCH_ARGS="--sizes 100000 --pin --against main"`, or BENCH_ARGS= for every group at 10k and 100k.
BENCH_ARGS ?= --sizes 100000 --only a,b,s
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
