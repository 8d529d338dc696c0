"""The restitution: publishing, the token, closing date, modes, comments, moderation."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from diagnostic.errors import Forbidden, NotFound, ValidationError
from diagnostic.frame import archiving
from diagnostic.frame.archiving import ArchivedError
from diagnostic.models import (
    CommentStatus,
    ReportStatus,
    RestitutionComment,
    SynthesisAuditEntry,
)
from diagnostic.reporting.report_build import compose_report
from diagnostic.restitution import comments, publishing
from diagnostic.synthesis import editing

NOW = datetime(2011, 7, 1, 10, 0, tzinfo=UTC)


def cid() -> str:
    return uuid.uuid4().hex


def actions(db, diagnostic) -> list[str]:
    return list(db.session.scalars(select(SynthesisAuditEntry.action)
                                   .where(SynthesisAuditEntry.diagnostic_id == diagnostic.id)
                                   .order_by(SynthesisAuditEntry.id)))


def test_publishing_gives_an_unguessable_link_that_unpublishing_and_a_new_token_close(
        db, make_diagnostic):
    diagnostic = make_diagnostic()
    restitution = publishing.publish(db.session, diagnostic, None, now=NOW)
    db.session.commit()
    token = restitution.token
    assert len(token) >= 43 and publishing.by_token(db.session, token) is restitution
    assert publishing.publish(db.session, diagnostic, None).published_at is not None
    publishing.regenerate_token(db.session, diagnostic, None)
    assert publishing.by_token(db.session, token) is None
    assert publishing.by_token(db.session, restitution.token) is restitution
    publishing.unpublish(db.session, diagnostic, None)
    db.session.commit()
    assert publishing.by_token(db.session, restitution.token) is None
    assert publishing.by_token(db.session, "") is None
    assert actions(db, diagnostic) == ["restitution_publish", "restitution_new_link",
                                       "restitution_unpublish"]


def test_the_closing_date_is_aware_and_closes_comments(db, make_diagnostic, make_need,
                                                        make_participant, make_workshop,
                                                        published):
    diagnostic = make_diagnostic(time_zone="Indian/Reunion")
    need = make_need(make_participant(make_workshop(diagnostic)))
    with pytest.raises(ValidationError) as caught:
        publishing.configure(db.session, diagnostic, None, closes_at=datetime(2011, 7, 1),
                             identification="anonymous")
    assert set(caught.value.errors) == {"closes_at"}
    closes = datetime(2011, 7, 1, 18, 0, tzinfo=ZoneInfo("Indian/Reunion"))  # 14:00 UTC
    restitution = published(diagnostic, closes_at=closes)
    assert publishing.is_open(restitution, NOW)
    assert not publishing.is_open(restitution, datetime(2011, 7, 1, 14, 0, tzinfo=UTC))
    with pytest.raises(comments.CommentsClosed):
        comments.submit_comment(db.session, restitution, text="Trop tard", client_id=cid(),
                                target_id=need.id, now=NOW + timedelta(hours=4))
    comment, created = comments.submit_comment(db.session, restitution, text="À temps",
                                               client_id=cid(), target_id=need.id, now=NOW)
    assert created and comment.status == CommentStatus.PENDING
    assert comment.contribution_id == need.id


def test_a_resend_is_stored_once_and_bad_input_stores_nothing(db, make_diagnostic, published):
    diagnostic = make_diagnostic()
    restitution = published(diagnostic)
    client = cid()
    first, created = comments.submit_comment(db.session, restitution, text=" Merci ",
                                             client_id=client, now=NOW)
    again, created_again = comments.submit_comment(db.session, restitution, text="Merci",
                                                   client_id=client, now=NOW)
    assert created and not created_again and again.id == first.id and first.on_report
    assert first.text == "Merci"
    for text, client_id, target in [("", cid(), None), ("x" * 2001, cid(), None),
                                    ("a\x00b", cid(), None), ("\ud800", cid(), None),
                                    ("ok", "short", None)]:
        with pytest.raises(ValidationError):
            comments.submit_comment(db.session, restitution, text=text, client_id=client_id,
                                    target_id=target, now=NOW)
    with pytest.raises(NotFound):
        comments.submit_comment(db.session, restitution, text="ok", client_id=cid(),
                                target_id=999_999, now=NOW)
    db.session.commit()
    assert db.session.scalars(select(RestitutionComment)).all() == [first]


def test_only_a_need_or_recommendation_of_this_diagnostic_can_be_commented(
        db, make_diagnostic, make_workshop, make_participant, make_need, published):
    mine, other = make_diagnostic(), make_diagnostic("Autre")
    foreign = make_need(make_participant(make_workshop(other)))
    restitution = published(mine)
    with pytest.raises(NotFound):
        comments.submit_comment(db.session, restitution, text="ok", client_id=cid(),
                                target_id=foreign.id, now=NOW)


def test_participant_mode_needs_a_participant_of_the_diagnostic(
        db, make_diagnostic, make_workshop, make_participant, published):
    diagnostic = make_diagnostic()
    restitution = published(diagnostic, identification="participant")
    outsider = make_participant(make_workshop(make_diagnostic("Autre")))
    for who in (None, outsider):
        with pytest.raises(Forbidden):
            comments.submit_comment(db.session, restitution, text="ok", client_id=cid(),
                                    participant=who, author_name="Zoé", now=NOW)
    member = make_participant(make_workshop(diagnostic))
    comment, _ = comments.submit_comment(db.session, restitution, text="ok", client_id=cid(),
                                         participant=member, author_name="Zoé", now=NOW)
    assert comment.participant_id == member.id and comment.author_name is None
    anonymous = published(make_diagnostic("Ouvert"))
    comment, _ = comments.submit_comment(db.session, anonymous, text="ok", client_id=cid(),
                                         participant=member, author_name=" Zoé ", now=NOW)
    assert comment.participant_id is None and comment.author_name == "Zoé"


def test_moderation_counts_and_the_method_section(db, make_diagnostic, make_workshop,
                                                  make_participant, make_need, make_user,
                                                  published):
    diagnostic = make_diagnostic()
    need = make_need(make_participant(make_workshop(diagnostic)))
    restitution = published(diagnostic)
    staff = make_user()
    made = [comments.submit_comment(db.session, restitution, text=f"Avis {n}", client_id=cid(),
                                    target_id=need.id, now=NOW + timedelta(days=n))[0]
            for n in range(3)]
    comments.moderate(db.session, made[0], diagnostic, staff, "approved", now=NOW)
    comments.moderate(db.session, made[2], diagnostic, staff, "approved", now=NOW)
    comments.moderate(db.session, made[1], diagnostic, staff, "rejected", now=NOW)
    with pytest.raises(NotFound):
        comments.moderate(db.session, made[0], make_diagnostic("Autre"), staff, "rejected")
    db.session.commit()
    assert made[0].moderated_by_id == staff.id
    assert comments.status_counts(db.session, diagnostic.id) == {
        CommentStatus.PENDING: 0, CommentStatus.APPROVED: 2, CommentStatus.REJECTED: 1}
    assert actions(db, diagnostic)[-3:] == ["comment_approved", "comment_approved",
                                            "comment_rejected"]
    summary = comments.approved_summary(db.session, diagnostic.id)
    assert summary.count == 2
    method = compose_report(db.session, diagnostic, with_minutes=False).method
    assert method.comment_count == 2
    assert method.comments_from == date(2011, 7, 1) and method.comments_to == date(2011, 7, 3)
    report = compose_report(db.session, make_diagnostic("Sans avis"), with_minutes=False)
    assert report.method.comment_count == 0


def test_comments_follow_their_item_into_a_group(db, make_diagnostic, make_workshop,
                                                 make_participant, make_need, published):
    diagnostic = make_diagnostic()
    participant = make_participant(make_workshop(diagnostic))
    first, second = make_need(participant, "Locaux"), make_need(participant, "Des locaux")
    restitution = published(diagnostic)
    comment, _ = comments.submit_comment(db.session, restitution, text="Oui", client_id=cid(),
                                         target_id=second.id, now=NOW)
    whole, _ = comments.submit_comment(db.session, restitution, text="Bravo", client_id=cid(),
                                       now=NOW)
    editing.merge(db.session, diagnostic, None, [first.id, second.id])
    db.session.commit()
    needs = compose_report(db.session, diagnostic, with_minutes=False).needs
    grouped = comments.by_item(needs, [comment, whole])
    assert grouped == {needs[0].id: [comment], None: [whole]} and len(needs) == 1


def test_marking_the_report_validated_sets_the_cover_status_in_the_diagnostic_zone(
        db, make_diagnostic, published):
    diagnostic = make_diagnostic(time_zone="Pacific/Noumea")  # UTC+11: already 2 July
    day = publishing.mark_validated(db.session, diagnostic, None,
                                    now=datetime(2011, 7, 1, 20, 0, tzinfo=UTC))
    db.session.commit()
    assert day == date(2011, 7, 2)
    assert diagnostic.report_status == ReportStatus.VALIDATED
    assert diagnostic.report_validated_on == date(2011, 7, 2)
    assert actions(db, diagnostic) == ["report_validated"]
    restitution = published(diagnostic)
    comment, _ = comments.submit_comment(db.session, restitution, text="Avant", client_id=cid())
    archiving.archive_diagnostic(db.session, diagnostic)
    with pytest.raises(ArchivedError):
        publishing.publish(db.session, diagnostic, None)
    with pytest.raises(ArchivedError):
        comments.moderate(db.session, comment, diagnostic, None, "approved")
    assert not publishing.is_open(restitution)  # archived: read-only
    with pytest.raises(comments.CommentsClosed):
        comments.submit_comment(db.session, restitution, text="Après", client_id=cid())


def test_the_restitution_actions_read_as_sentences_in_both_languages():
    from diagnostic.audit_text import SYNTHESIS, Entry, describe
    from tests.diagnostic.test_audit_text import english, french, synthesis

    approved = Entry("comment_approved", {"comment": 7, "status": "pending"},
                     {"comment": 7, "status": "approved"}, "Claire Martin")
    assert describe(approved, synthesis(french()), SYNTHESIS) == (
        "Commentaire de restitution n° 7 publié par Claire Martin")
    assert describe(approved, synthesis(english()), SYNTHESIS) == (
        "Feedback comment no. 7 published by Claire Martin")
    validated = Entry("report_validated", None, {"report_status": "validated"}, "Claire Martin")
    assert describe(validated, synthesis(french()), SYNTHESIS) == (
        "Rapport marqué comme validé par Claire Martin")


def test_the_archive_keeps_comments_and_the_anonymised_one_drops_the_names_given(
        db, make_diagnostic, published):
    from diagnostic.archive.anonymise import anonymised
    from diagnostic.archive.dump import dump_diagnostic

    diagnostic = make_diagnostic()
    restitution = published(diagnostic)
    comments.submit_comment(db.session, restitution, text="Merci", client_id=cid(),
                            author_name="Zéphyrine Quillard", now=NOW)
    db.session.commit()
    archive = dump_diagnostic(db.session, diagnostic)
    assert archive["restitution_comments"][0]["author_name"] == "Zéphyrine Quillard"
    assert "token" not in archive["restitutions"][0]
    assert "Zéphyrine" not in str(anonymised(archive))


def test_the_retention_purge_clears_the_names_commenters_gave(db, make_diagnostic, published):
    from diagnostic.privacy.retention import purge

    diagnostic = make_diagnostic()
    restitution = published(diagnostic)
    comment, _ = comments.submit_comment(db.session, restitution, text="Merci",
                                         client_id=cid(), author_name="Zoé", now=NOW)
    publishing.mark_validated(db.session, diagnostic, None, now=NOW)
    db.session.commit()
    purge(db.session, date(2011, 8, 1), dry_run=False)  # retention not over: kept
    assert comment.author_name == "Zoé"
    purge(db.session, date(2013, 1, 1), dry_run=False)
    db.session.commit()
    db.session.refresh(comment)
    assert comment.author_name is None and comment.text == "Merci"


def test_a_participant_s_comments_are_in_their_data_and_scrubbed_on_erasure(
        db, make_diagnostic, make_workshop, make_participant, published):
    from diagnostic.privacy.erasure import REDACTED, erase_participant

    diagnostic = make_diagnostic()
    member = make_participant(make_workshop(diagnostic), display_name="Zéphyrine Quillard")
    restitution = published(diagnostic, identification="participant")
    comment, _ = comments.submit_comment(
        db.session, restitution, text="Moi, Zéphyrine Quillard, je suis d'accord.",
        client_id=cid(), participant=member, now=NOW)
    from diagnostic.privacy.access import participant_data

    [given] = participant_data(db.session, member)["restitution_comments"]
    assert given["text"] == comment.text and "moderated_by_id" not in given
    erase_participant(db.session, member, user=None, at=NOW)
    db.session.commit()
    assert comment.text == f"Moi, {REDACTED}, je suis d'accord."


def test_deleting_an_empty_diagnostic_deletes_its_page_and_comments(db, make_diagnostic,
                                                                    published):
    diagnostic = make_diagnostic("À supprimer")
    restitution = published(diagnostic)
    comments.submit_comment(db.session, restitution, text="Merci", client_id=cid(), now=NOW)
    db.session.commit()
    token = restitution.token
    archiving.delete_diagnostic(db.session, diagnostic, "À supprimer")
    db.session.commit()
    db.session.expunge_all()
    assert db.session.scalars(select(RestitutionComment)).all() == []
    assert publishing.by_token(db.session, token) is None
