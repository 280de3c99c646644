"""Saved searches and the alerts built on them (SECURITY.md rows 42 and 47).

saved_searches.py saves, changes and re-runs a member's searches: `run_saved_search` is
the one function that answers "what does this search find now, for this person?" —
feeds, the preview page and the alert engine all call it. feed_tokens.py holds the
private Atom feeds' tokens (hashed, revocable); describe.py puts a search into words.
"""

from .describe import describe, describe_params
from .feed_tokens import issue_feed_token, revoke_feed_token, search_for_feed_token, token_hash
from .saved_searches import (
    MAX_NAME,
    MAX_PER_USER,
    MAX_RESULTS,
    AlertError,
    Result,
    count_for,
    delete_search,
    directory_params,
    due_searches,
    mark_run,
    newest_results,
    owned_search,
    params_for,
    result_time,
    run_saved_search,
    save_search,
    searches_of,
    semantic_params,
    set_paused,
    update_search,
)

__all__ = [
    "MAX_NAME",
    "MAX_PER_USER",
    "MAX_RESULTS",
    "AlertError",
    "Result",
    "count_for",
    "delete_search",
    "describe",
    "describe_params",
    "directory_params",
    "due_searches",
    "issue_feed_token",
    "mark_run",
    "newest_results",
    "owned_search",
    "params_for",
    "result_time",
    "revoke_feed_token",
    "run_saved_search",
    "save_search",
    "search_for_feed_token",
    "searches_of",
    "semantic_params",
    "set_paused",
    "token_hash",
    "update_search",
]
