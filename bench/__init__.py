"""Live load benchmark: a Socket.IO swarm against a real production-like server.

Run everything with ``make bench`` (``python -m bench.run``); see docs/PERFORMANCE.md.
"""
