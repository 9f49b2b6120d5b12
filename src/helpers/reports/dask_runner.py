"""Run reports on an existing Dask distributed scheduler instead of local processes.

For report sets that outgrow one machine. The workers must see the same checkout (notebooks,
data, this package) at the same paths, as on a shared file system; the HTML comes back to the
client, which writes it. Needs the optional extra: pip install 'desertion-series[dask]'.
"""
from __future__ import annotations

from collections.abc import Iterator

from helpers.errors import SchedulerError
from helpers.reports.report import Outcome, run_report


def run_on_dask(address: str, calls: list[dict]) -> Iterator[Outcome]:
    """Yield each Outcome as it finishes (``calls``: run_report's keyword arguments)."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise SchedulerError("--scheduler needs dask distributed: pip install "
                             "'desertion-series[dask]'") from None
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise SchedulerError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        futures = [client.submit(run_report, **call, pure=False) for call in calls]
        for future in as_completed(futures):
            yield future.result()
