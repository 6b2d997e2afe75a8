-- DS01 Portal: the first schema. Docker is the truth for which containers exist; these tables hold
-- who is who, which GPU slots are allocated to whom, container and image records, and the audit log.
-- Every slot, allocation and container names the node it lives on ('local' for now), so that a later
-- backend can place containers across servers without a schema rewrite.

create table portal_user (
    id              bigserial primary key,
    username        varchar(32)  not null unique,
    uid             integer      not null,
    gid             integer      not null,
    home_directory  varchar(4096) not null,
    display_name    varchar(200),
    email           varchar(320),
    limits_group    varchar(64),
    is_admin        boolean      not null default false,
    first_seen_at   timestamptz  not null default now(),
    last_sign_in_at timestamptz,
    constraint portal_user_username_grammar check (username ~ '^[a-z_][a-z0-9_-]{0,31}$'),
    constraint portal_user_uid_positive check (uid > 0)
);

create table image (
    id            bigserial primary key,
    owner_id      bigint       not null references portal_user (id),
    name          varchar(64)  not null,
    reference     varchar(255) not null,
    base_image    varchar(255) not null,
    dockerfile    text         not null,
    state         varchar(16)  not null default 'draft',
    created_at    timestamptz  not null default now(),
    built_at      timestamptz,
    constraint image_state_known check (state in ('draft', 'building', 'ready', 'failed')),
    constraint image_owner_name_unique unique (owner_id, name)
);

create table container (
    id              bigserial primary key,
    node            varchar(64)  not null default 'local',
    owner_id        bigint       not null references portal_user (id),
    project         varchar(64)  not null,
    name            varchar(128) not null,
    docker_id       varchar(64),
    image_reference varchar(255) not null,
    state           varchar(16)  not null,
    created_by      varchar(16)  not null,
    created_at      timestamptz  not null default now(),
    started_at      timestamptz,
    stopped_at      timestamptz,
    retired_at      timestamptz,
    last_activity_at timestamptz,
    constraint container_state_known
        check (state in ('creating', 'created', 'running', 'stopped', 'retired', 'failed', 'missing')),
    constraint container_created_by_known check (created_by in ('web', 'api', 'policy'))
);
-- One live record per AIME container name on a node; retired records stay as history.
create unique index container_live_name on container (node, name) where retired_at is null;
create index container_owner on container (owner_id);

create table allocation (
    id            bigserial primary key,
    node          varchar(64)  not null default 'local',
    slot_id       varchar(16)  not null,
    slot_uuid     varchar(64)  not null,
    weight        numeric(6, 4) not null,
    owner_id      bigint       not null references portal_user (id),
    container_id  bigint       references container (id),
    allocated_at  timestamptz  not null default now(),
    released_at   timestamptz,
    release_reason varchar(200),
    constraint allocation_slot_grammar check (slot_id ~ '^[0-9]+(\.[0-9]+)?$'),
    constraint allocation_weight_range check (weight > 0 and weight <= 1)
);
-- Invariant 1: a GPU slot is held by at most one live allocation, enforced by the database.
create unique index allocation_live_slot on allocation (node, slot_id) where released_at is null;
create index allocation_owner_live on allocation (owner_id) where released_at is null;

create table audit_event (
    id           bigserial primary key,
    occurred_at  timestamptz  not null default now(),
    actor_kind   varchar(8)   not null,
    actor        varchar(64)  not null,
    action       varchar(64)  not null,
    target       varchar(255),
    detail       text,
    node         varchar(64)  not null default 'local',
    constraint audit_actor_kind_known check (actor_kind in ('user', 'policy', 'system'))
);
create index audit_event_time on audit_event (occurred_at desc);
create index audit_event_actor on audit_event (actor, occurred_at desc);
