import secrets
import subprocess
import sys

from tests.core.test_worker import MANAGE, child_env

PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "x",
    "SITE_URL": "https://x",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
}


def check_deploy(tmp_path, **values: str) -> subprocess.CompletedProcess:
    env = child_env(tmp_path)
    env.pop("SECRET_KEY", None)  # only the values given here count
    env.update(values)
    return subprocess.run([sys.executable, MANAGE, "check", "--deploy", "--fail-level", "WARNING"], env=env,
                          capture_output=True, text=True, timeout=60)


def test_check_deploy_is_clean_with_production_values(tmp_path):
    result = check_deploy(tmp_path, SECRET_KEY=secrets.token_urlsafe(40)[:50], **PRODUCTION)
    assert result.stderr == ""
    assert (result.returncode, result.stdout) == (0, "System check identified no issues (0 silenced).\n")


def test_check_deploy_fails_when_the_secret_key_is_left_at_its_default(tmp_path):
    result = check_deploy(tmp_path, **PRODUCTION)
    assert result.returncode == 1
    assert "(security.W009)" in result.stderr
