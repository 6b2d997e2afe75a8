-- V7: the lifecycle jobs' clocks per container (so a portal restart neither resets nor repeats them) and the
-- notifications users get from them.
create table container_clock (
    container_id        bigint       primary key references container (id) on delete cascade,
    sampled_at          timestamptz,
    cpu_ns              bigint,
    net_bytes           bigint,
    idle_checks         integer      not null default 0,
    idle_since          timestamptz,
    last_signals        varchar(400),
    idle_warned         smallint     not null default 0,
    runtime_warned      smallint     not null default 0,
    keep_alive_until    timestamptz,
    runtime_extension_s bigint       not null default 0,
    node                varchar(64)  not null default 'local'
);

create table notification (
    id           bigserial    primary key,
    owner_id     bigint       not null references portal_user (id),
    container_id bigint       references container (id) on delete set null,
    kind         varchar(32)  not null,
    message      text         not null,
    created_at   timestamptz  not null default now(),
    read_at      timestamptz,
    node         varchar(64)  not null default 'local'
);
create index notification_unread on notification (owner_id, created_at desc) where read_at is null;
