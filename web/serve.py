"""`assess serve`: configure Django from the command line's options, migrate, (demo) seed, and serve with
waitress — a production-grade pure-Python WSGI server that also runs on the Windows machines offices use."""

from __future__ import annotations

import os
from pathlib import Path

import click


def configure(instance: Path, database: str | None, debug: bool, https: bool, hosts: str | None) -> None:
    """Settings are read from the environment (web.settings); set it, then start Django."""
    os.environ["ASSESS_INSTANCE"] = str(instance.resolve())
    if database:
        os.environ["ASSESS_DATABASE_URL"] = database
    os.environ["ASSESS_DEBUG"] = "1" if debug else "0"
    os.environ["ASSESS_HTTPS"] = "1" if https else "0"
    if hosts:
        os.environ["ASSESS_ALLOWED_HOSTS"] = hosts
    os.environ["DJANGO_SETTINGS_MODULE"] = "web.settings"
    import django

    django.setup()


def migrate() -> None:
    from django.conf import settings
    from django.core.management import call_command

    from web.instance import make_private

    call_command("migrate", interactive=False, verbosity=0)
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):   # sessions and password hashes: an instance made before the umask
        make_private(Path(db["NAME"]))


def describe_database() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite {db['NAME']}"
    return f"PostgreSQL {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']}"


def run(host: str, port: int, threads: int) -> None:
    import waitress
    from django.conf import settings

    from web.wsgi import application

    click.echo(f"实例文件夹：{settings.INSTANCE}")
    click.echo(f"数据库：{describe_database()}")
    click.echo(f"服务地址：http://{host}:{port}/   （健康检查 /healthz；按 Ctrl+C 停止）")
    if settings.DEBUG:
        click.echo("警告：调试模式已打开（--debug），出错时会显示内部信息，切勿用于正式环境。", err=True)
    options: dict[str, object] = {"clear_untrusted_proxy_headers": True}
    proxy = os.environ.get("ASSESS_TRUSTED_PROXY")   # the reverse proxy's address (web/README.md)
    if proxy:
        options.update(trusted_proxy=proxy, trusted_proxy_headers={"x-forwarded-proto", "x-forwarded-for"})
    waitress.serve(application, host=host, port=port, threads=threads, ident="assess",
                   max_request_body_size=int(settings.UPLOAD_MAX_BYTES) + 2 * 1024 * 1024, **options)


def serve(instance: Path, database: str | None, host: str, port: int, threads: int, demo: bool, debug: bool,
          https: bool, hosts: str | None, create_office: str | None, no_run: bool = False) -> None:
    from web.instance import PRIVATE_UMASK

    os.umask(PRIVATE_UMASK)   # before anything is created: database, uploads, published files
    configure(instance, database or os.environ.get("ASSESS_DATABASE_URL"), debug, https, hosts)
    migrate()
    if create_office:
        from web.accounts.models import OFFICE
        from web.accounts.services import create_account

        made = create_account(create_office, OFFICE, "市安委办")
        if made is None:
            click.echo(f"账号 {create_office} 已存在，未改动。", err=True)
        else:
            click.echo(f"已创建市安委办账号：{made.username}  初始密码：{made.password}（只显示这一次，请登录后修改）")
    if demo:
        from web.demo import DEMO_PASSWORD, ensure_demo

        accounts, sample = ensure_demo(Path(os.environ["ASSESS_INSTANCE"]), click.echo)
        click.echo("")
        click.echo(f"演示账号（密码均为 {DEMO_PASSWORD}，仅供演示）：")
        for username, role, name in accounts:
            click.echo(f"  {username:<10} {role:<6} {name}")
        if sample:
            click.echo(f"示例工作簿（秦川区，可上传试用）：{sample}")
        click.echo("")
    if not no_run:
        run(host, port, threads)
