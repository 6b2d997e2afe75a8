-- V9: sessions ended by signing out. The session cookie is sealed, not stored, so without this list a copy of the
-- cookie taken before sign-out would still open the portal until it expired. A row is kept until the session
-- would have expired anyway (its sign-in plus the maximum session age), then it may be forgotten.
create table ended_session (
    session_id    varchar(32)  primary key,
    username      varchar(64)  not null,
    ended_at      timestamptz  not null default now(),
    forget_after  timestamptz  not null
);
create index ended_session_forget on ended_session (forget_after);
