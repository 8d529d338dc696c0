"""The domain of a collaborative territorial diagnostic: models, services, report.

Nothing here imports Flask's request machinery, so the domain runs from the web app,
the CLI, batch exports and tests alike.
"""
