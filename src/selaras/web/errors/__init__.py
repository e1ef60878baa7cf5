"""The edge of the exception tree: Bahasa text for every error code and its HTTP status.

`messages` renders a `SelarasError` as one Bahasa Indonesia sentence (used by pages, the API and
the CLI); `status` says which HTTP status each family of errors gets; `middleware` and
`api_handler` apply both, so no view maps errors to HTTP by hand. This package's `__init__`
imports nothing, so the CLI can use the catalogue without loading the HTTP side.
"""
