"""Tools: one module or subpackage per method, DataFrames in and out; imports base and core."""
