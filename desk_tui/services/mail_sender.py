"""Sends the outbox over SMTP, at least once and in practice once.

Each message is claimed before it is sent (an UPDATE that only one sender can win, which
also leases it for a while), and marked sent right after the server accepts it. Only a
crash between the server's acceptance and that mark can repeat a mail; the Message-ID is
derived from the outbox row, so the receiving side sees the same message twice rather than
two messages. A server that cannot be reached leaves every message waiting: an election
laptop without network sends its mail when it is back.
"""

from __future__ import annotations

import logging
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from desk_tui.config import MailSettings
from desk_tui.store.engine import read_session, write_session
from desk_tui.store.models import OutboxMessage

log = logging.getLogger("desk.mail")

# A claimed message is not tried by another sender for this long.
LEASE = timedelta(minutes=10)
# Waits after the 1st, 2nd, ... failed attempt; the last one repeats.
BACKOFF = (
    timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1),
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")

Clock = Callable[[], datetime]
Connect = Callable[[MailSettings, str | None], smtplib.SMTP]


@dataclass(frozen=True, slots=True)
class SendReport:
    """What one run of the sender did; `problem` says why it stopped early, if it did."""

    sent: int = 0
    retry_later: int = 0
    given_up: int = 0
    problem: str | None = None

    def describe(self) -> str:
        parts = [f"{self.sent} sent"]
        if self.retry_later:
            parts.append(f"{self.retry_later} to retry")
        if self.given_up:
            parts.append(f"{self.given_up} undeliverable")
        text = ", ".join(parts)
        return f"{text}; {self.problem}" if self.problem else text


def connect_smtp(mail: MailSettings, password: str | None) -> smtplib.SMTP:
    """An SMTP session: STARTTLS with certificate checks when configured, then login."""
    smtp = smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout)
    try:
        smtp.ehlo()
        if mail.starttls:
            smtp.starttls(context=ssl.create_default_context(cafile=mail.cafile or None))
            smtp.ehlo()
        if mail.user:
            smtp.login(mail.user, password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


PASSWORD_VARIABLE = "DESK_SMTP_PASSWORD"


def smtp_password(mail: MailSettings) -> str | None:
    """The SMTP password when the server wants a login: the keyring, else
    DESK_SMTP_PASSWORD (raises desk_tui.secrets.SecretUnavailable, saying what to do)."""
    if not mail.user:
        return None
    from desk_tui.secrets import secret

    return secret(mail.secret_name, PASSWORD_VARIABLE)


def backoff(attempts: int) -> timedelta:
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def pending_count(engine: Engine, now: datetime) -> int:
    """Messages still to be sent (due now or later)."""
    from sqlalchemy import func

    with read_session(engine) as session:
        return session.execute(
            select(func.count()).select_from(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at.is_not(None))
        ).scalar_one()


def send_outbox(
    engine: Engine,
    mail: MailSettings,
    clock: Clock,
    *,
    password: str | None = None,
    connect: Connect = connect_smtp,
    batch: int = 50,
) -> SendReport:
    """Send what is due. `password` is the SMTP password (see desk_tui.secrets)."""
    now = clock()
    with read_session(engine) as session:
        due = session.execute(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.next_attempt_at.is_not(None),
                OutboxMessage.next_attempt_at <= now,
            )
            .order_by(OutboxMessage.created_at)
            .limit(batch)
        ).scalars().all()
    if not due:
        return SendReport()
    try:
        smtp = connect(mail, password)
    except smtplib.SMTPAuthenticationError as error:
        problem = f"mail server {mail.host} refused the login of {mail.user} ({_reason(error)})"
        log.warning("%s; %d message(s) wait", problem, len(due))
        return SendReport(problem=problem)
    except (OSError, smtplib.SMTPException) as error:
        problem = f"mail server {mail.host}:{mail.port} not reachable ({_reason(error)})"
        log.warning("%s; %d message(s) wait", problem, len(due))
        return SendReport(problem=problem)
    sent = retry = given_up = 0
    problem = None
    try:
        for message_id in due:
            message = _claim(engine, message_id, clock())
            if message is None:
                continue  # another sender has it, or it was sent meanwhile
            outcome = _deliver(smtp, mail, message)
            _record(engine, message, outcome, clock())
            if outcome.sent:
                sent += 1
            elif outcome.permanent:
                given_up += 1
            else:
                retry += 1
                if outcome.connection_lost:
                    problem = f"connection to {mail.host} lost ({outcome.error})"
                    break
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return SendReport(sent=sent, retry_later=retry, given_up=given_up, problem=problem)


@dataclass(frozen=True, slots=True)
class _Claimed:
    id: object
    recipient: str
    subject: str
    body: str
    attempts: int


@dataclass(frozen=True, slots=True)
class _Outcome:
    sent: bool = False
    permanent: bool = False
    connection_lost: bool = False
    error: str | None = None


def _claim(engine: Engine, message_id: object, now: datetime) -> _Claimed | None:
    with write_session(engine) as session:
        claimed = session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.next_attempt_at.is_not(None),
                OutboxMessage.next_attempt_at <= now,
            )
            .values(next_attempt_at=now + LEASE, attempts=OutboxMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            return None
        row = session.execute(
            select(
                OutboxMessage.recipient, OutboxMessage.subject, OutboxMessage.body,
                OutboxMessage.attempts,
            ).where(OutboxMessage.id == message_id)
        ).one()
    return _Claimed(message_id, row.recipient, row.subject, row.body, row.attempts)


def _deliver(smtp: smtplib.SMTP, mail: MailSettings, message: _Claimed) -> _Outcome:
    if not message.recipient.strip():
        return _Outcome(permanent=True, error="no e-mail address for the recipient")
    try:
        smtp.send_message(_email(mail, message))
    except smtplib.SMTPRecipientsRefused as error:
        return _Outcome(permanent=True, error=f"recipient refused ({_reason(error)})")
    except smtplib.SMTPServerDisconnected as error:
        return _Outcome(connection_lost=True, error=_reason(error))
    except smtplib.SMTPResponseException as error:
        return _Outcome(permanent=error.smtp_code >= 500, error=_reason(error))
    except (ValueError, smtplib.SMTPException) as error:  # a malformed address, say
        return _Outcome(permanent=True, error=_reason(error))
    except OSError as error:
        return _Outcome(connection_lost=True, error=_reason(error))
    return _Outcome(sent=True)


def _email(mail: MailSettings, message: _Claimed) -> EmailMessage:
    email = EmailMessage()
    email["From"] = mail.sender
    email["To"] = message.recipient.strip()
    # User text reaches the subject: a line break there would inject headers.
    email["Subject"] = _CONTROL.sub(" ", message.subject).strip()
    email["Date"] = format_datetime(datetime.now().astimezone())
    domain = mail.sender.rpartition("@")[2] or "desk"
    email["Message-ID"] = f"<outbox-{message.id}@{domain}>"
    email.set_content(message.body)
    return email


def _record(engine: Engine, message: _Claimed, outcome: _Outcome, now: datetime) -> None:
    if outcome.sent:
        values: dict[str, object] = {"sent_at": now, "next_attempt_at": None, "last_error": None}
    elif outcome.permanent:
        values = {"next_attempt_at": None, "last_error": outcome.error}
        log.warning("giving up on outbox message %s: %s", message.id, outcome.error)
    else:
        values = {"next_attempt_at": now + backoff(message.attempts), "last_error": outcome.error}
    with write_session(engine) as session:
        session.execute(
            update(OutboxMessage).where(OutboxMessage.id == message.id).values(**values)
            .execution_options(synchronize_session=False)
        )


def _reason(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return f"{error.smtp_code} {text}".strip()
    return str(error) or type(error).__name__
