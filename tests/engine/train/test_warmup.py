"""The launch warm-up imports what the first Train needs, in a background thread."""
import pytest
import subprocess
import sys

from playground.engine.train import warmup

SCRIPT = r"""
import sys
from playground.engine.train import warmup
assert 'torch._dynamo' not in sys.modules
thread = warmup.start_warm_up()
assert thread.daemon
thread.join(300)
assert warmup.is_warm() and 'torch._dynamo' in sys.modules
print('ok')
"""


@pytest.mark.slow
def test_warm_up_in_a_fresh_process_imports_dynamo_off_the_main_thread():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_warm_up_reports_its_time():
    assert warmup.warm_up() >= 0 and warmup.is_warm()
