"""`equiserve production`: gunicorn's command and settings (issue 21, deliverable 1)."""

import importlib
import os
from unittest import mock

from typer.testing import CliRunner

from equiserve.cli import app
from equiserve.operations import cli as operations_cli


def test_the_command_becomes_gunicorn_with_the_settings_module(tmp_path):
    env = {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus")}
    with (
        mock.patch.dict(os.environ, env),
        mock.patch.object(operations_cli, "_collect_static_if_changed") as collect,
        mock.patch.object(operations_cli.os, "execv") as execv,
    ):
        result = CliRunner().invoke(
            app,
            [
                "production",
                "--bind",
                "127.0.0.1:0",
                "--workers",
                "3",
                "--no-task-worker",
                "--",
                "--log-level",
                "debug",
            ],
        )
        assert result.exit_code == 0, result.output
        assert os.environ["EQUISERVE_WORKERS"] == "3"
        assert os.environ["EQUISERVE_TASK_WORKER"] == "0"
        assert os.environ["EQUISERVE_PRODUCTION"] == "1"
    collect.assert_called_once()
    argv = execv.call_args.args[1]
    assert argv[1:5] == [
        "-m",
        "gunicorn",
        "--config",
        "python:equiserve.operations.gunicorn_conf",
    ]
    assert argv[-3:] == ["--log-level", "debug", "equiserve.wsgi:application"]
    assert (tmp_path / "prometheus").is_dir()


def test_workers_come_from_the_cores_and_requests_time_out():
    with mock.patch.dict(os.environ, {}, clear=False):
        for name in ("EQUISERVE_WORKERS", "EQUISERVE_REQUEST_TIMEOUT"):
            os.environ.pop(name, None)
        conf = importlib.reload(
            importlib.import_module("equiserve.operations.gunicorn_conf")
        )
    assert conf.workers == len(os.sched_getaffinity(0)) + 1
    assert conf.timeout == 30 and conf.graceful_timeout == 30
    assert conf.max_requests > 0 and callable(conf.when_ready)


def test_a_web_worker_gets_one_polars_thread_and_an_operators_choice_stands():
    conf = importlib.import_module("equiserve.operations.gunicorn_conf")
    with mock.patch.dict(os.environ, {}, clear=False):
        os.environ.pop("POLARS_MAX_THREADS", None)
        conf.post_fork(server=None, worker=None)
        assert os.environ["POLARS_MAX_THREADS"] == "1"
    with mock.patch.dict(os.environ, {"POLARS_MAX_THREADS": "2"}):
        conf.post_fork(server=None, worker=None)
        assert os.environ["POLARS_MAX_THREADS"] == "2"
