"""The web face (issue 11): `assess serve` starts the site in web/. Django is imported only when this command runs,
so that no other command pays for loading it."""

from __future__ import annotations

import os
from pathlib import Path

import click

from cli.shared import CONTEXT


@click.command(context_settings=CONTEXT)
@click.option("--instance", type=click.Path(path_type=Path, file_okay=False),
              help="实例文件夹（数据库、密钥、上传的文件、发布的文件）；默认 ./assess-instance，--demo 时 ./assess-demo。")
@click.option("--database", metavar="URL", help="PostgreSQL 数据库地址 postgresql://用户:密码@主机:端口/库名；"
              "不指定则取环境变量 ASSESS_DATABASE_URL，再不然用实例文件夹中的 SQLite。")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址（内网服务器上通常为 0.0.0.0，或只监听本机、由反向代理转发）。")
@click.option("--port", default=8000, show_default=True, type=int, help="监听端口。")
@click.option("--threads", default=8, show_default=True, type=int, help="同时处理的请求数。")
@click.option("--workers", type=click.IntRange(min=0), metavar="N",
              help="检查上传数据的进程数（多个单位同时上传时并行检查）；默认每个 CPU 核一个，0 表示在服务进程内检查。")
@click.option("--demo", is_flag=True, help="创建演示实例：示例城市的两个考核轮次、46 个单位和演示账号（启动时列出）。")
@click.option("--debug", is_flag=True, help="调试模式（显示内部错误信息），切勿用于正式环境。")
@click.option("--https", is_flag=True, help="在 HTTPS 反向代理之后运行：安全 Cookie、HSTS，按 X-Forwarded-Proto 识别 HTTPS。")
@click.option("--allowed-hosts", "hosts", metavar="HOSTS", help="允许的访问域名，逗号分隔（如 kaohe.example.gov.cn）；默认只允许本机。")
@click.option("--create-office", metavar="USERNAME", help="创建一个市安委办账号（初始密码只显示一次）。")
@click.option("--no-run", is_flag=True, help="只初始化（迁移数据库、创建账号或演示数据），不启动服务。")
def serve(instance: Path | None, database: str | None, host: str, port: int, threads: int, workers: int | None,
          demo: bool, debug: bool, https: bool, hosts: str | None, create_office: str | None, no_run: bool) -> None:
    """网页服务：各单位上传填报数据、查看自查结果，市安委办查看报送情况、暂定排名并发布结果。"""
    from web.serve import serve as run_server

    # Read by web.workers in the server process; set before Django starts, like the settings web.serve sets.
    os.environ["ASSESS_WORKERS"] = str(workers if workers is not None else (os.cpu_count() or 1))

    folder = instance or Path("assess-demo" if demo else "assess-instance")
    run_server(folder, database, host, port, threads, demo, debug, https, hosts, create_office, no_run)
