"""Starts moto's server for the test suite, with the fixes the suite needs applied first.

Usage: python3 moto_launcher.py PORT

The fixes work around gaps of the emulator, never of the product:
  * object ages: the clock S3 stamps objects with can be shifted per request, so age-based
    behaviour is testable end to end (POST /_test/clock {"offset_seconds": -864000}).
Further fixes are added below, each with the gap it covers.
"""
import datetime
import json
import sys

import moto.s3.models as s3_models
from moto.server import main as moto_main

_clock = {"offset": 0.0}
_real_utcnow = s3_models.utcnow


def _shifted_utcnow():
    return _real_utcnow() + datetime.timedelta(seconds=_clock["offset"])


s3_models.utcnow = _shifted_utcnow


def _install_test_routes():
    """Adds /_test/clock to moto's Flask app to set the S3 clock offset."""
    from moto.server import DomainDispatcherApplication  # noqa: F401  (import side effects)
    import moto.moto_server.werkzeug_app as werkzeug_app

    original_create_backend_app = werkzeug_app.create_backend_app

    def create_backend_app(service):
        app = original_create_backend_app(service)

        def set_clock():
            from flask import request
            body = json.loads(request.data or b"{}")
            _clock["offset"] = float(body.get("offset_seconds", 0))
            return json.dumps({"offset_seconds": _clock["offset"]})

        app.add_url_rule("/_test/clock", "test_clock", set_clock, methods=["POST"])
        return app

    werkzeug_app.create_backend_app = create_backend_app


if __name__ == "__main__":
    port = sys.argv[1] if len(sys.argv) > 1 else "5000"
    _install_test_routes()
    moto_main(["-H", "127.0.0.1", "-p", port])
