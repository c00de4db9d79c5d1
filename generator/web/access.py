"""Who may see and change which unit's work: every route asks here, nowhere else.

- county: reads and writes its own unit;
- city: reads and writes its own unit, reads the counties assigned to it;
- admin: reads every unit, writes none (submissions belong to the units).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from generator.web.models import ADMIN, CITY, Unit, User

__all__ = ["can_read", "can_write", "readable_units"]


def readable_units(db: Session, user: User) -> list[Unit]:
    """The units ``user`` may see, own unit first, then by name."""
    if user.role == ADMIN:
        return list(db.scalars(select(Unit).order_by(Unit.name)))
    own = db.get(Unit, user.unit_id) if user.unit_id is not None else None
    if own is None:
        return []
    units = [own]
    if user.role == CITY:
        units += list(db.scalars(select(Unit).where(Unit.city_id == own.id).order_by(Unit.name)))
    return units


def can_read(db: Session, user: User, unit_id: int) -> bool:
    if user.role == ADMIN:
        return True
    if user.unit_id == unit_id:
        return True
    if user.role == CITY:
        unit = db.get(Unit, unit_id)
        return unit is not None and unit.city_id == user.unit_id
    return False


def can_write(user: User, unit_id: int) -> bool:
    return user.role != ADMIN and user.unit_id == unit_id
