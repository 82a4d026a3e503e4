"""The Training tab and the configuration panel: plots, runs table, settings controls."""
