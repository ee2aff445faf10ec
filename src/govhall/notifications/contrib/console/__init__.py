"""The console gateway: development and demo only."""
