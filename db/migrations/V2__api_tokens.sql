-- Personal API tokens: shown once at creation, stored only as a SHA-256 hash; revoked tokens stay as history.
create table api_token (
    id           bigserial primary key,
    owner_id     bigint       not null references portal_user (id),
    name         varchar(64)  not null,
    token_hash   char(64)     not null unique,
    prefix       varchar(16)  not null,
    created_at   timestamptz  not null default now(),
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz,
    constraint api_token_name_grammar check (name ~ '^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$')
);
create index api_token_owner on api_token (owner_id);
