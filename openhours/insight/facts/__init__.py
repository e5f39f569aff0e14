"""The fact tables every metric family reads (members, exchanges, monthly flows, posts):
refresh steps only, called in order by ``refresh``."""
