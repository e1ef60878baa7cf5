"""Similarity of proposals: Indonesian normalisation, duplicate candidates and classification.

Pure (numpy + numba, no Django). Advisory only: callers show the results to a person.
"""
