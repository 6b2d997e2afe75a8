-- V3: the GPU queue and holds after stop.
--
-- A request that is within the user's quota but finds no free slot waits in gpu_request, ordered by
-- priority (user overrides count as 100) and then by arrival. Rows stay after they end (granted,
-- cancelled, expired, refused) as history; only 'waiting' rows are the queue.
create table gpu_request (
    id            bigserial primary key,
    node          varchar(64)  not null default 'local',
    owner_id      bigint       not null references portal_user (id),
    container_id  bigint       references container (id),
    slot_count    integer      not null,
    whole_gpu     boolean      not null default false,
    profile       varchar(32),
    slot_id       varchar(16),
    priority      integer      not null,
    state         varchar(16)  not null default 'waiting',
    queued_at     timestamptz  not null default now(),
    expires_at    timestamptz  not null,
    ended_at      timestamptz,
    end_reason    varchar(500),
    granted_slots varchar(500),
    constraint gpu_request_count_positive check (slot_count > 0),
    constraint gpu_request_priority_range check (priority between 0 and 100),
    constraint gpu_request_state_known check (state in ('waiting', 'granted', 'cancelled', 'expired', 'refused')),
    constraint gpu_request_ended check ((state = 'waiting') = (ended_at is null))
);
create index gpu_request_waiting on gpu_request (node, priority desc, queued_at, id) where state = 'waiting';
-- A container waits for its GPUs once, not twice.
create unique index gpu_request_one_per_container on gpu_request (container_id)
    where state = 'waiting' and container_id is not null;

-- A stopped container keeps its slots for gpu_hold_after_stop: held_since is when the hold began,
-- hold_until when it ends (null while held_since is set: held until the container is removed).
alter table allocation add column held_since timestamptz;
alter table allocation add column hold_until timestamptz;
alter table allocation add constraint allocation_hold_has_start check (hold_until is null or held_since is not null);
create index allocation_hold_ends on allocation (hold_until) where released_at is null and hold_until is not null;

-- A container may wait in the queue for its GPUs before it is created.
alter table container drop constraint container_state_known;
alter table container add constraint container_state_known
    check (state in ('queued', 'creating', 'created', 'running', 'stopped', 'retired', 'failed', 'missing'));
