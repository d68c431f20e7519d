"""Start an RQ worker for Mentor Portal, with RQ's cron scheduler beside it.

    python worker.py                      # every queue, plus the cron scheduler
    python worker.py mail matching        # only these queues
    python worker.py --no-cron            # extra workers on other machines
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing

from portal import create_app
from portal.jobs import QUEUE_NAMES, build_worker, redis_connection


def run_cron() -> None:
    """Run RQ's cron scheduler, which enqueues the periodic jobs when they are due."""
    from rq.cron import CronScheduler

    from portal.periodic import register_periodic_jobs

    app = create_app()
    cron = CronScheduler(connection=redis_connection(app), name="portal-cron")
    register_periodic_jobs(cron)
    cron.start()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("queues", nargs="*", help=f"queues to listen on (default: all of {', '.join(QUEUE_NAMES)})")
    parser.add_argument("--no-cron", action="store_true", help="do not run the cron scheduler here")
    parser.add_argument("--burst", action="store_true", help="stop when the queues are empty")
    options = parser.parse_args()
    unknown = set(options.queues) - set(QUEUE_NAMES)
    if unknown:
        parser.error(f"unknown queue(s): {', '.join(sorted(unknown))}")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")

    app = create_app()
    if not options.no_cron and not options.burst:
        multiprocessing.Process(target=run_cron, name="portal-cron", daemon=True).start()
    worker = build_worker(app, options.queues or QUEUE_NAMES)
    worker.work(burst=options.burst, with_scheduler=True, logging_level="INFO")


if __name__ == "__main__":
    main()
