-- V8: exemptions from the lifecycle jobs that admins grant a user until a date (a deadline, a long experiment).
create table lifecycle_exemption (
    id          bigserial    primary key,
    username    varchar(32)  not null,
    scope       varchar(8)   not null check (scope in ('idle', 'runtime', 'all')),
    reason      varchar(200) not null,
    expires_at  timestamptz  not null,
    granted_by  varchar(64)  not null,
    granted_at  timestamptz  not null default now(),
    node        varchar(64)  not null default 'local'
);
create index lifecycle_exemption_user on lifecycle_exemption (username, expires_at);
