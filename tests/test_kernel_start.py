"""The root conftest.py's retry of nbval's kernel start (kernel_start_retried)."""

import importlib.util

import pytest

from book.paths import ROOT


def _retried():
    spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.kernel_start_retried


def test_a_kernel_that_died_once_is_started_again():
    calls = []

    def start(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return "manager", "client"

    assert _retried()(start)(kernel_name="python3", stderr=None) == ("manager", "client")
    assert len(calls) == 2 and calls[1]["kernel_name"] == "python3" and calls[1]["stderr"] is not None


def test_a_kernel_that_cannot_start_fails_with_what_it_printed():
    def start(**kwargs):
        if kwargs.get("stderr") is not None:
            kwargs["stderr"].write("ModuleNotFoundError: No module named 'ipykernel'\n")
            kwargs["stderr"].flush()
        raise RuntimeError("Kernel died before replying to kernel_info")

    with pytest.raises(RuntimeError, match="twice; the kernel's stderr the second time:\nModuleNotFoundError"):
        _retried()(start)(kernel_name="python3")
