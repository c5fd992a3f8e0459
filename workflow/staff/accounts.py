"""Staff accounts: argon2 password hashes, authentication and the demo office."""

from __future__ import annotations

from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.db.engine import transaction
from workflow.db.models import User
from workflow.errors import AuthenticationFailed, NotFound
from workflow.sop.states import Role
from workflow.sop.transitions import Actor

if TYPE_CHECKING:
    from workflow.runtime import Runtime

_HASHER = PasswordHasher()

DEMO_PASSWORD = "pintu-demo"  # development only: seeded when ENVIRONMENT=development
DEMO_USERS: tuple[tuple[str, str, Role, str | None, str | None], ...] = (
    ("teknis", "Rina Marlina, S.T.", Role.TIM_TEKNIS, "198903122015032004", "Tim Teknis"),
    (
        "penata",
        "Agus Salim, S.H.",
        Role.PENATA_PERIZINAN,
        "199001052018011002",
        "JF Penata Perizinan Ahli Muda",
    ),
    (
        "koordinator",
        "Dewi Lestari, S.E., M.M.",
        Role.KOORDINATOR,
        "198105172006042011",
        "JF Penata Perizinan Ahli Madya",
    ),
    (
        "kadis",
        "Dr. Rahmat Hidayat, S.Sos., M.Si.",
        Role.KADIS,
        "197204151998031007",
        "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    ),
    ("admin", "Administrator Pintu", Role.ADMIN, None, None),
)


def hash_password(password: str) -> str:
    """Hash ``password`` with argon2id."""
    return _HASHER.hash(password)


def authenticate(session: Session, username: str, password: str) -> User:
    """Return the active user with these credentials, or raise AuthenticationFailed."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        _HASHER.hash(password)  # same cost whether or not the user exists
        raise AuthenticationFailed("unknown or inactive user")
    try:
        _HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError) as exc:
        raise AuthenticationFailed(f"wrong password for user {user.id}") from exc
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = _HASHER.hash(password)
    return user


def create_user(
    session: Session,
    *,
    username: str,
    full_name: str,
    role: Role,
    password: str,
    nip: str | None = None,
    jabatan: str | None = None,
) -> User:
    """Add a staff account."""
    user = User(
        username=username,
        full_name=full_name,
        role=role.value,
        password_hash=hash_password(password),
        nip=nip,
        jabatan=jabatan,
    )
    session.add(user)
    session.flush()
    return user


def seed_demo_office(session: Session) -> int:
    """Create the demo office's users (one per role) that do not exist yet; return how many."""
    created = 0
    for username, full_name, role, nip, jabatan in DEMO_USERS:
        if session.scalar(select(User.id).where(User.username == username)) is None:
            create_user(
                session,
                username=username,
                full_name=full_name,
                role=role,
                password=DEMO_PASSWORD,
                nip=nip,
                jabatan=jabatan,
            )
            created += 1
    return created


def system_user(session: Session) -> User:
    """Return the account that records Pintu's own steps, creating it once."""
    user = session.scalar(select(User).where(User.username == "system"))
    if user is None:
        user = User(
            username="system",
            full_name="Pintu",
            role=Role.SYSTEM.value,
            password_hash="!",  # never matches an argon2 hash: cannot log in
            active=False,
        )
        session.add(user)
        session.flush()
    return user


def system_actor(rt: Runtime) -> Actor:
    """Return the actor that records Pintu's own steps."""
    with transaction(rt.sessions) as session:
        return Actor.of(system_user(session))


def active_actor(rt: Runtime, user_id: str) -> Actor:
    """Return the active staff member with this id (a token's subject), or refuse."""
    with transaction(rt.sessions) as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise AuthenticationFailed(f"token for unknown or inactive user {user_id}")
        return Actor.of(user)


def actor_named(rt: Runtime, username: str) -> Actor:
    """Return the active staff member with this user name (the CLI's ``--user``)."""
    with transaction(rt.sessions) as session:
        user = session.scalar(select(User).where(User.username == username, User.active))
        if user is None:
            raise NotFound(f"no active user {username!r}")
        return Actor.of(user)


def log_in(rt: Runtime, username: str, password: str) -> Actor:
    """Check a user name and password; return who logged in (rehashing an old hash)."""
    with transaction(rt.sessions) as session:
        return Actor.of(authenticate(session, username, password))
