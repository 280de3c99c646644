"""One search box for the whole directory: keyword and semantic hits in one ranked list.

`service.run` answers a query with a page of cards; `fusion`, `snippets` and `reasons`
are the pure parts (rank fusion, marked snippets, why a record matched) it is built from.
"""

from .service import PER_PAGE, Results, clean_query, run

__all__ = ["PER_PAGE", "Results", "clean_query", "run"]
