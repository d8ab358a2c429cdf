"""Changing the service areas (virksomhetsområder). Every change validates and commits,
and raises ``CatalogError`` without changing anything when the input is refused."""

from __future__ import annotations

from sqlalchemy import select

from planner.extensions import db
from planner.models import Audience, Post, ServiceArea
from planner.services.catalog.names import clean_name, commit_named


def create_service_area(org_id: int, name: str) -> ServiceArea:
    """Add a service area and commit."""
    clean = clean_name(ServiceArea, org_id, name)
    area = ServiceArea(organisation_id=org_id, name=clean)
    db.session.add(area)
    commit_named(ServiceArea, clean)
    return area


def rename_service_area(area: ServiceArea, name: str) -> None:
    """Rename a service area and commit."""
    clean = clean_name(ServiceArea, area.organisation_id, name, area.id)
    area.name = clean
    commit_named(ServiceArea, clean)


def delete_service_area(area: ServiceArea) -> None:
    """Delete a service area; its posts and audiences keep existing without one."""
    posts = select(Post).where(Post.service_area_id == area.id)
    for post in db.session.execute(posts).scalars():
        post.service_area = None
    groups = select(Audience).where(Audience.service_area_id == area.id)
    for audience in db.session.execute(groups).scalars():
        audience.service_area = None
    db.session.delete(area)
    db.session.commit()
