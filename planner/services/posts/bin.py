"""The bin (papirkurv): the organisation's deleted posts, listed and emptied for good.

Moving one post to the bin and back are post mutations (``operations.move_to_bin`` and
``operations.restore_from_bin``); the history keeps a record of posts deleted for good.
"""

from __future__ import annotations

from sqlalchemy import select

from planner.extensions import db
from planner.models import Post


def binned_posts(org_id: int) -> list[Post]:
    """The organisation's posts in the bin, most recently deleted first."""
    return list(
        db.session.execute(
            select(Post)
            .where(Post.organisation_id == org_id, Post.deleted_at.is_not(None))
            .order_by(Post.deleted_at.desc())
        ).scalars()
    )


def empty_bin(org_id: int) -> int:
    """Delete the organisation's posts in the bin for good (committed); how many."""
    posts = list(
        db.session.execute(
            select(Post).where(Post.organisation_id == org_id, Post.deleted_at.is_not(None))
        ).scalars()
    )
    for post in posts:
        db.session.delete(post)
    db.session.commit()
    return len(posts)
