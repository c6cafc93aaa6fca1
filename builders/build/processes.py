"""Work done in a forked child: its input goes in, its result or its located errors come back, through pipes."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import traceback
from typing import Any, Callable

from ..core.errors import TriptychError


def usable_cpus() -> int:
    """CPUs this process may run on (a container's or taskset's limit, not the machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and others without affinity
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class ChildFailed(RuntimeError):
    """A child stopped with something other than a TriptychError: a bug, or a signal."""


class Mailbox:
    """The child's side: what the parent sends, and an early result posted back."""

    def __init__(self, inbox: Any, outbox: Any) -> None:
        self._inbox, self._outbox = inbox, outbox

    def receive(self) -> Any:
        """The parent's next message; None when the parent will send nothing more."""
        try:
            return self._inbox.recv()
        except EOFError:
            return None

    def post(self, value: Any) -> None:
        """A result the parent can take before the final one (see Child.interim)."""
        self._outbox.send(("interim", value))


class Child:
    """Run `work(mailbox)` in a forked copy of this process, started before its input exists.

    The child inherits what this process holds at the fork; what `send()` sends later, its
    interim value, its return value and the problems of a TriptychError are pickled.
    """

    def __init__(self, work: Callable[[Mailbox], Any], name: str) -> None:
        self.name = name
        self._peek: tuple[str, Any] | None = None
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        inbox, self._send = context.Pipe(duplex=False)
        # The child also closes its inherited copy of the parent's sending end: EOF then
        # means the parent is gone (where the kernel cannot be asked to say so).
        self._process = context.Process(target=_run, args=(work, send, inbox, os.getpid(), self._send),
                                        name=f"triptych {name}", daemon=True)
        self._process.start()
        send.close()  # the child holds the only sending end: EOF means it died
        inbox.close()

    def send(self, value: Any) -> None:
        """Give the child its input (pickled)."""
        self._send.send(value)

    def interim(self) -> Any:
        """Wait for the value the child posts before its result; its error is raised here."""
        if self._peek is None:
            try:
                self._peek = self._receive.recv()
            except EOFError:
                return self.result()  # raises: the child died
        kind, payload = self._peek
        if kind == "interim":
            self._peek = None
            return payload
        self.result()  # raises the child's error
        raise ChildFailed(f"the {self.name} build finished without the expected intermediate result")

    def result(self) -> Any:
        """Wait for the child; its value, or its error raised here."""
        try:
            kind, payload = self._peek or self._receive.recv()
            while kind == "interim":  # posted but not asked for
                kind, payload = self._receive.recv()
        except EOFError:
            self._process.join()
            raise ChildFailed(f"the {self.name} build stopped without a result "
                              f"(exit code {self._process.exitcode})") from None
        finally:
            self._receive.close()
        self._process.join()
        if kind == "ok":
            return payload
        if kind == "problems":
            raise TriptychError(payload)
        raise ChildFailed(f"the {self.name} build failed in its process:\n{payload}")

    def cancel(self) -> None:
        """Stop the child if it still runs (the build failed elsewhere)."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receive.close()
        self._send.close()


PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """The child never outlives its parent, however the parent ends (SIGKILL included).

    On Linux the kernel sends the child SIGKILL when the parent dies; elsewhere the parent's
    end of the pipe closing ends the child's wait for input. Ctrl+C reaches the whole process
    group: the child leaves it to the parent, which stops the child and cleans up.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux
    if os.getppid() != parent:  # the parent died before the kernel was asked to tell
        os._exit(1)


def _run(work: Callable[[Mailbox], Any], send: Any, inbox: Any, parent: int, parents_end: Any) -> None:
    parents_end.close()
    _die_with_parent(parent)
    try:
        message: tuple[str, Any] = ("ok", work(Mailbox(inbox, send)))
    except TriptychError as exc:
        # The exception itself does not survive pickling (click rebuilds it from its text);
        # its located problems do.
        message = ("problems", exc.problems)
    except BaseException:  # noqa: BLE001 - everything must reach the parent, which re-raises
        message = ("crash", traceback.format_exc())
    send.send(message)
    send.close()
