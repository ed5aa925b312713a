"""Reading workbooks safely and fast, and writing outputs atomically: the boundary with the file system."""
