"""Data: loading, checking and writing engagements; imports base and core."""
