"""xpusim.to_frame: results as pandas DataFrames (pandas is optional)."""


def to_frame(result):
    """A pandas DataFrame of one result (one row) or a list of results (one row each).

    Nested objects become dotted columns ("parallel.tp", "time_breakdown_s.compute");
    lists (e.g. a search's "search.top") stay as Python lists in one cell; pass
    ``result["search"]["top"]`` to get one row per plan. Raises ImportError when
    pandas is not installed (Debian: apt-get install python3-pandas).
    """
    try:
        import pandas as pd
    except ImportError as e:
        raise ImportError(
            "xpusim.to_frame needs pandas, which is not importable here "
            "(install it: apt-get install python3-pandas, or pip install pandas)") from e
    if isinstance(result, dict):
        rows = [result]
    elif isinstance(result, (list, tuple)):
        rows = list(result)
        bad = [type(r).__name__ for r in rows if not isinstance(r, dict)]
        if bad:
            raise TypeError(f"to_frame needs a dict or a list of dicts; the list holds {bad[0]}")
    else:
        raise TypeError(f"to_frame needs a dict or a list of dicts, not {type(result).__name__}")
    return pd.json_normalize(rows)
