"""Running a workshop live: taking part, facilitation, moderation, supports and votes.

Services change data, flush and stage the messages the workshop's room must receive
(``events``, ``announce``); the caller — a request, a socket event, a CLI command — commits
once, and the web layer sends what was staged after the commit.
"""
