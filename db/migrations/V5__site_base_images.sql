-- V5: base images the admins approve on the admin page, offered in step 1 beside the catalogue file's rows.
create table site_base_image (
    id          bigserial primary key,
    node        varchar(64)  not null default 'local',
    framework   varchar(41)  not null,
    version     varchar(40)  not null,
    image       varchar(201) not null,
    note        varchar(200) not null,
    added_by    varchar(64)  not null,
    added_at    timestamptz  not null default now(),
    constraint site_base_image_once unique (node, image)
);
