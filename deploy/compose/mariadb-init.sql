-- Ferry's state database and the BI database the shipped MySQL syncs write to, for the user the compose file names.
CREATE DATABASE IF NOT EXISTS ferry CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE IF NOT EXISTS bi CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
GRANT ALL PRIVILEGES ON ferry.* TO 'ferry'@'%';
GRANT ALL PRIVILEGES ON bi.* TO 'ferry'@'%';
