"""Exit 0 when 127.0.0.1:PORT can be listened on, else say who to stop and exit 1.

`make run` calls it before installing, migrating and seeding, so a busy port is reported in a
second instead of after a minute of work. Standard library only: it runs before the venv exists.
"""

import errno
import socket
import sys


def main(argv: list[str]) -> int:
    raw = argv[1] if len(argv) > 1 else "8000"
    try:
        port = int(raw)
        if not 1 <= port <= 65535:
            raise ValueError
    except ValueError:
        print(f"PORT={raw} is not a port number (1-65535), e.g. make run PORT=8001", file=sys.stderr)
        return 1
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As runserver does: a port left in TIME_WAIT by the last server is free, a listener is not.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            print(
                f"Port {port} on 127.0.0.1 is already in use (another `make run`?). "
                f"Stop that server, or choose another port: make run PORT={port + 1}",
                file=sys.stderr,
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
