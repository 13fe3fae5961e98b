"""E-mail to applicants (issue 16): the intake form with an address and the consent ticked, and
Settings › E-mail with its outbox, at 1366x768 in Vietnamese with the bundled font
(docs/screenshots/mail-intake-consent-1366x768.png, docs/screenshots/mail-settings-1366x768.png).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshot_mail.py

"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

NOW = datetime(2026, 3, 2, 10, 0)
PASSWORD = "matkhau123"
# Strings not yet in resources/translations/desk_vi.ts, by Qt context (none left now).
EXTRA: dict[str, dict[str, str]] = {}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()

    import screenshot_applicant
    from screenshot_centre import _catalogues

    from desk_app.services import intake, lifecycle, mail
    from desk_app.services.lifecycle import MoveInput
    from desk_app.ui import i18n
    from desk_app.ui.app import make_application
    from desk_app.ui.bus import ChangeBus
    from desk_app.ui.context import UiContext
    from desk_app.ui.intake import IntakeDialog
    from desk_app.ui.ops import OpRunner
    from desk_app.ui.prefs import Prefs
    from desk_app.ui.settings.dialog import SettingsDialog
    from tests.desk_setup import ADMIN, OFFICER, desk_at, sign_in

    screenshot_applicant.EXTRA = EXTRA
    args.out.mkdir(parents=True, exist_ok=True)
    with TemporaryDirectory() as name:
        tmp = Path(name)
        qm = _catalogues(tmp, screenshot_applicant._extra_ts(tmp / "extra.ts"))
        i18n.translations_dir = lambda: qm  # type: ignore[assignment]
        prefs = Prefs(tmp / "prefs.ini")
        app = make_application([sys.argv[0]], prefs)
        db = desk_at(tmp / "desk.sqlite3", staff=[OFFICER, ADMIN], password=PASSWORD)
        officer = sign_in(db, "canbo", PASSWORD)
        admin = sign_in(db, "quantri", PASSWORD)
        settings = mail.MailSettingsInput(
            True,
            "smtp.langson.gov.vn",
            587,
            "starttls",
            "motcua.svhttdl@langson.gov.vn",
            "motcua.svhttdl@langson.gov.vn",
            "Bộ phận Một cửa Sở VHTTDL Lạng Sơn",
        )
        people = ("hoang.van.binh", "luong.thu.hang", "nong.thi.mai", "vi.duc.an")
        with db.writer.begin() as s:
            mail.save_config(s, settings, admin, now=NOW - timedelta(days=1))
            for i, who in enumerate(people):
                at = NOW - timedelta(minutes=90 - 20 * i)
                data = intake.IntakeInput(
                    procedure="1.001029",
                    applicant=intake.ApplicantInput(
                        name=f"Người nộp {i + 1}", email=f"{who}@example.vn"
                    ),
                    received_at=at,
                    mail_consent=True,
                )
                code = intake.accept_file(s, data, officer, now=at).code
                if i == 0:
                    lifecycle.record_result(
                        s, MoveInput(code), officer, now=at + timedelta(minutes=10)
                    )
            ids = mail.claim(s, frozenset({1}), NOW - timedelta(minutes=5), limit=10)
            for n, message_id in enumerate(ids):
                moment = NOW - timedelta(minutes=5 - n)
                if n == 2:
                    mail.mark_failed(
                        s,
                        message_id,
                        "Máy chủ thư không nhận địa chỉ người nhận "
                        "(550 5.1.1 Mailbox unavailable).",
                        moment,
                        permanent=True,
                    )
                elif n == 3:
                    mail.mark_failed(
                        s,
                        message_id,
                        "Không kết nối được máy chủ thư smtp.langson.gov.vn:587: timed out.",
                        moment,
                    )
                else:
                    mail.mark_sent(s, message_id, moment)

        def context(actor: object) -> UiContext:
            return UiContext(
                db=db, actor=actor, runner=OpRunner(synchronous=True),  # type: ignore[arg-type]
                bus=ChangeBus(), prefs=prefs, clock=lambda: NOW,
            )  # fmt: skip

        dialog = IntakeDialog(context(officer))
        dialog.resize(1366, 768)
        dialog.show()
        form = dialog.form
        form.procedure.choose("1.001029", None)
        form.name.setText("Đặng Thị Ánh")
        form.id_number.setText("020190001234")
        form.phone.setText("0912 345 678")
        form.email.setText("dang.thi.anh@example.vn")
        form.address.setText("Số 12 đường Lê Lợi, phường Vĩnh Trại, thành phố Lạng Sơn")
        form.mail_consent.setChecked(True)
        for _ in range(10):
            app.processEvents()
        target = args.out / "mail-intake-consent-1366x768.png"
        dialog.grab().save(str(target))
        print(f"wrote {target}")
        dialog.hide()  # reject() would ask whether to throw away what was typed

        settings_dialog = SettingsDialog(context(admin), tab="mail")
        settings_dialog.resize(1366, 768)
        settings_dialog.show()
        tab = settings_dialog.mail_tab
        assert tab is not None
        tab.test_to.setText("kiemtra@langson.gov.vn")
        for _ in range(10):
            app.processEvents()
        target = args.out / "mail-settings-1366x768.png"
        settings_dialog.grab().save(str(target))
        print(f"wrote {target}")
        settings_dialog.close()
        db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
