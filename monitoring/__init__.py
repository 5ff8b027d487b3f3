"""Indikatormonitor: follow a boligsocial helhedsplan's delmål and indikatorer year by year."""
