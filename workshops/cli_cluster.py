"""``diagnostic cluster``: nginx + N ``diagnostic-server`` workers on this machine's
PostgreSQL and Redis, in the foreground (``make cluster``; logic in workshops/cluster.py)."""

from __future__ import annotations

import shutil
import signal
import time
from pathlib import Path

import click
from flask import Flask, current_app

from .cluster import DEFAULT_DATABASE_URL, DEFAULT_REDIS_URL, RECIPE, Cluster, tail


def register_cluster_command(app: Flask) -> None:
    """Attach ``diagnostic cluster`` to ``app.cli``."""

    @app.cli.command("cluster")
    @click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 32),
                  help="Number of diagnostic-server processes.")
    @click.option("--database-url", envvar="CLUSTER_DATABASE_URL", show_default=True,
                  default=DEFAULT_DATABASE_URL,
                  help="PostgreSQL database (created if missing, then migrated).")
    @click.option("--redis-url", envvar="CLUSTER_REDIS_URL", default=DEFAULT_REDIS_URL,
                  show_default=True, help="Redis shared by the workers (message queue).")
    @click.option("--port", default=8443, show_default=True, type=int,
                  help="HTTPS port of nginx (the HTTP redirect listens on --http-port).")
    @click.option("--http-port", default=8080, show_default=True, type=int)
    @click.option("--first-worker-port", default=5001, show_default=True, type=int)
    @click.option("--folder", type=click.Path(file_okay=False, path_type=Path),
                  help="Where nginx's prefix, the logs and the workers' instance folder "
                       "live (default: instance/cluster).")
    @click.option("--nginx", "nginx_binary", default=None,
                  help="The nginx binary (default: nginx on PATH, or /usr/sbin/nginx).")
    @click.option("--debug-upstream", is_flag=True,
                  help="Add an X-Upstream header naming the worker that answered.")
    def cluster_command(workers: int, database_url: str, redis_url: str, port: int,
                        http_port: int, first_worker_port: int, folder: Path | None,
                        nginx_binary: str | None, debug_upstream: bool) -> None:
        """Run nginx (deploy/nginx.conf) in front of N workers, to try the production setup.

        Stops everything on Ctrl-C; a process that exits is reported, never restarted.
        """
        if not RECIPE.exists():
            raise click.ClickException(f"{RECIPE} not found: run this from a checkout.")
        nginx = nginx_binary or shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise click.ClickException("nginx not found: install Debian's nginx-light.")
        folder = (folder or Path(current_app.instance_path) / "cluster").resolve()
        cluster = Cluster(folder, database_url=database_url, redis_url=redis_url,
                          https_port=port, http_port=http_port,
                          worker_ports=[first_worker_port + i for i in range(workers)],
                          debug_upstream=debug_upstream)
        click.echo(f"Preparing {folder} and the database...")
        try:
            for line in cluster.prepare(bootstrap=True):
                if line:
                    click.echo(line)
            cluster.start(nginx)
        except Exception as error:  # noqa: BLE001 - shown to the operator, then exit 1
            raise click.ClickException(str(error)) from error
        click.echo(f"Serving on {cluster.url}/ (self-signed certificate) through nginx, "
                   f"workers on ports {', '.join(map(str, cluster.worker_ports))}.")
        click.echo(f"Logs in {folder / 'logs'}. Ctrl+C to stop.")
        signal.signal(signal.SIGTERM, _interrupt)
        code = 0
        try:
            while cluster.serving():
                _report(cluster)
                time.sleep(0.5)
            _report(cluster)
            click.echo("Nothing left to serve: stopping.", err=True)
            code = 1
        except KeyboardInterrupt:
            click.echo("Stopping nginx and the workers...")
        finally:
            cluster.stop()
        raise SystemExit(code)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _report(cluster: Cluster) -> None:
    for child in cluster.exited():
        click.echo(f"{child.name} exited (code {child.process.returncode}); not restarted. "
                   f"Last lines of {child.log}:\n{tail(child.log)}", err=True)
