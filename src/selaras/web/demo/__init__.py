"""Demo data, kept apart from the product: the demo district loader, the sinkronisasi flaws it
plants on purpose and the record of those flaws.

No product app imports this package (an import-linter contract says so); the CLI (`selaras demo`),
the tests and the benchmarks do. Deleting the package and its app entry leaves a working product.
"""
