"""All models, importable from one place."""

from . import events  # noqa: F401  (change tracking)
from .base import utcnow
from .org import ROLE_RANK, Organisation, Role, User
from .plan import (
    CHANNEL_TYPES,
    HOLIDAY_KINDS,
    POST_KINDS,
    POST_STATUSES,
    REACH_LEVELS,
    SOCIAL_CHANNEL_TYPES,
    TRADITIONAL_CHANNEL_TYPES,
    Audience,
    Channel,
    HolidayPeriod,
    Post,
    PostException,
    Reach,
    ServiceArea,
    Wheel,
    new_uid,
    post_audience,
    post_channel,
)
from .staffing import DUTY_ROLES, Absence, DutyAssignment, PeakPeriod, StaffMember, peak_post

__all__ = [
    "CHANNEL_TYPES",
    "HOLIDAY_KINDS",
    "DUTY_ROLES",
    "POST_KINDS",
    "POST_STATUSES",
    "REACH_LEVELS",
    "ROLE_RANK",
    "SOCIAL_CHANNEL_TYPES",
    "TRADITIONAL_CHANNEL_TYPES",
    "Absence",
    "Audience",
    "Channel",
    "DutyAssignment",
    "HolidayPeriod",
    "Organisation",
    "PeakPeriod",
    "Post",
    "PostException",
    "Reach",
    "Role",
    "ServiceArea",
    "StaffMember",
    "User",
    "Wheel",
    "new_uid",
    "peak_post",
    "post_audience",
    "post_channel",
    "utcnow",
]
