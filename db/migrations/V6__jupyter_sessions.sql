-- V6: Jupyter servers the portal started in containers: the port the engine published on 127.0.0.1 and the token
-- only the portal knows (it adds it to each proxied request; browsers never see it).
create table jupyter_session (
    container_id bigint       primary key references container (id) on delete cascade,
    token        varchar(64)  not null,
    host_port    integer      not null check (host_port between 1 and 65535),
    started_at   timestamptz  not null default now(),
    node         varchar(64)  not null default 'local'
);
