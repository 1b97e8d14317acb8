-- :n orders for the ranked list, as the intake would have stored them: Russian names, the
-- form's select values, free text, a service on most, scores and priorities from the scoring
-- rules (budget 10/20/30/40, size 5/15/20/30, urgency 5/15/30), a pipeline status that depends
-- on age, created over the last year, and the lower-cased search text the server builds.
-- Deterministic (hashes of the row number, not random()), so every run loads the same data.
--
-- psql -v n=1000000 -f orders_pg.sql. Secondary indexes of `applications` are dropped for the
-- load, their definitions kept in the table `bench_indexes`: the runner rebuilds them from it
-- (a bulk build, each index in its own session, instead of a million insertions), so the table
-- ends exactly as the migrations left it. Constraint indexes (primary key, unique columns)
-- stay. Triggers (e.g. maintained counts) fire as for any INSERT.
BEGIN;
SET LOCAL synchronous_commit = off;
SET LOCAL maintenance_work_mem = '256MB';

CREATE TABLE bench_indexes AS
SELECT indexname, indexdef FROM pg_indexes
WHERE schemaname = current_schema() AND tablename = 'applications'
  AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = 'applications'::regclass);

DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT indexname FROM bench_indexes LOOP
        EXECUTE format('DROP INDEX %I', r.indexname);
    END LOOP;
END $$;

-- u(i, k): a uniform number in [0, 1) for row i and attribute k.
CREATE FUNCTION pg_temp.u(i bigint, k int) RETURNS float8 IMMUTABLE LANGUAGE sql
AS $$ SELECT (hashint8(i * 64 + k) & 2147483647)::float8 / 2147483648 $$;

WITH people(k, name, surname, patronymic, latin, latin_surname) AS (VALUES
    (0, 'Алексей', 'Иванов', 'Сергеевич', 'aleksey', 'ivanov'),
    (1, 'Дмитрий', 'Смирнов', 'Андреевич', 'dmitry', 'smirnov'),
    (2, 'Сергей', 'Кузнецов', 'Викторович', 'sergey', 'kuznetsov'),
    (3, 'Андрей', 'Попов', 'Игоревич', 'andrey', 'popov'),
    (4, 'Михаил', 'Соколов', 'Олегович', 'mikhail', 'sokolov'),
    (5, 'Иван', 'Лебедев', 'Петрович', 'ivan', 'lebedev'),
    (6, 'Никита', 'Козлов', 'Александрович', 'nikita', 'kozlov'),
    (7, 'Артём', 'Новиков', 'Дмитриевич', 'artem', 'novikov'),
    (8, 'Павел', 'Морозов', 'Юрьевич', 'pavel', 'morozov'),
    (9, 'Константин', 'Волков', 'Николаевич', 'konstantin', 'volkov'),
    (10, 'Владимир', 'Фёдоров', 'Ильич', 'vladimir', 'fedorov'),
    (11, 'Евгений', 'Орлов', 'Романович', 'evgeny', 'orlov'),
    (12, 'Анна', 'Иванова', 'Сергеевна', 'anna', 'ivanova'),
    (13, 'Мария', 'Смирнова', 'Андреевна', 'maria', 'smirnova'),
    (14, 'Елена', 'Кузнецова', 'Викторовна', 'elena', 'kuznetsova'),
    (15, 'Ольга', 'Попова', 'Игоревна', 'olga', 'popova'),
    (16, 'Наталья', 'Соколова', 'Олеговна', 'natalia', 'sokolova'),
    (17, 'Татьяна', 'Лебедева', 'Петровна', 'tatiana', 'lebedeva'),
    (18, 'Ирина', 'Козлова', 'Александровна', 'irina', 'kozlova'),
    (19, 'Екатерина', 'Новикова', 'Дмитриевна', 'ekaterina', 'novikova'),
    (20, 'Светлана', 'Морозова', 'Юрьевна', 'svetlana', 'morozova'),
    (21, 'Юлия', 'Волкова', 'Николаевна', 'yulia', 'volkova'),
    (22, 'Ксения', 'Фёдорова', 'Ильинична', 'ksenia', 'fedorova'),
    (23, 'Дарья', 'Орлова', 'Романовна', 'daria', 'orlova')
),
niches(k, niche) AS (VALUES
    (0, 'Стоматология'), (1, 'Розничная торговля одеждой'), (2, 'Кофейня'),
    (3, 'Грузоперевозки'), (4, 'Фитнес-клуб'), (5, 'Производство мебели'),
    (6, 'Онлайн-школа английского'), (7, 'Салон красоты'), (8, 'Строительство домов'),
    (9, 'Юридические услуги'), (10, 'Интернет-магазин электроники'), (11, 'Ветеринарная клиника')
),
infos(k, info) AS (VALUES
    (0, 'Сеть из трёх клиник в Казани, хотим единый сайт с онлайн-записью.'),
    (1, 'Небольшой магазин, продаём через маркетплейсы, нужен свой сайт и CRM.'),
    (2, 'Кофейня у метро, планируем доставку и программу лояльности.'),
    (3, 'Парк из 40 грузовиков, нужен расчёт стоимости перевозки на сайте.'),
    (4, 'Работаем с 2015 года, 200 постоянных клиентов, хотим автоматизировать заявки.'),
    (5, 'Стартап, пока только идея и прототип в Figma.'),
    (6, 'Производим кухни на заказ, нужен конфигуратор и каталог.'),
    (7, 'Онлайн-школа, 1500 учеников, нужна интеграция с платёжной системой.')
),
comments(k, comment, urgent) AS (VALUES
    (0, 'Срочно, запуск рекламы на следующей неделе!', true),
    (1, 'Не срочно, можно обсудить в следующем месяце.', false),
    (2, 'Пришлите, пожалуйста, примеры похожих проектов и коммерческое предложение.', false),
    (3, 'Звоните после обеда, до этого совещания.', false),
    (4, 'Нужна смета и сроки, сравниваем несколько подрядчиков.', false),
    (5, 'Горит, старый подрядчик пропал, сайт лежит.', true),
    (6, 'Хотим начать с аудита текущего сайта.', false),
    (7, 'Бюджет обсуждаем, главное качество.', false)
),
-- The form's select values with the points the scoring rules give them.
budgets(k, budget, points) AS (VALUES
    (0, 'до 500 тыс. ₽', 10), (1, '500 тыс. – 1 млн ₽', 20), (2, '1–5 млн ₽', 30), (3, 'от 5 млн ₽', 40)),
sizes(k, size, points) AS (VALUES (0, 'до 50', 5), (1, '50–100', 15), (2, '100–500', 20), (3, '500+', 30)),
deadlines(k, deadline, points) AS (VALUES
    (0, '1 неделя', 30), (1, '1 месяц', 15), (2, '2–3 месяца', 15), (3, '3 месяца и более', 5)),
services_list AS (SELECT array_agg(id ORDER BY name) AS ids, array_agg(name ORDER BY name) AS names FROM services),
rows AS (
    SELECT i,
        floor(pg_temp.u(i, 1) * 24)::int AS person,
        now() - pg_temp.u(i, 2) * interval '365 days' AS created_at,
        CASE WHEN pg_temp.u(i, 3) < 0.75 THEN 1 + floor(pg_temp.u(i, 4) * 6)::int END AS service_k,
        CASE WHEN pg_temp.u(i, 5) < 0.6 THEN floor(pg_temp.u(i, 6) * 8)::int END AS info_k,
        CASE WHEN pg_temp.u(i, 7) < 0.7 THEN floor(pg_temp.u(i, 8) * 12)::int END AS niche_k,
        CASE WHEN pg_temp.u(i, 9) < 0.5 THEN floor(pg_temp.u(i, 10) * 8)::int END AS comment_k,
        -- Company size first; budgets grow with it. Some leave either field empty.
        CASE WHEN pg_temp.u(i, 12) < 0.15 THEN NULL WHEN pg_temp.u(i, 12) < 0.5 THEN 0
             WHEN pg_temp.u(i, 12) < 0.7 THEN 1 WHEN pg_temp.u(i, 12) < 0.88 THEN 2 ELSE 3 END AS size_k,
        CASE WHEN pg_temp.u(i, 11) < 0.15 THEN NULL
             ELSE least(3, greatest(0, floor(pg_temp.u(i, 12) * 4)::int + floor(pg_temp.u(i, 28) * 3)::int - 1)) END AS budget_k,
        CASE WHEN pg_temp.u(i, 13) < 0.2 THEN NULL WHEN pg_temp.u(i, 13) < 0.35 THEN 0
             WHEN pg_temp.u(i, 13) < 0.65 THEN 1 WHEN pg_temp.u(i, 13) < 0.85 THEN 2 ELSE 3 END AS deadline_k,
        pg_temp.u(i, 14) AS status_u,
        pg_temp.u(i, 15) AS response_u,
        pg_temp.u(i, 16) < 0.6 AS has_patronymic,
        CASE WHEN pg_temp.u(i, 17) < 0.7 THEN '+7 (9' || lpad(((hashint8(i * 64 + 18) & 2147483647) % 100)::text, 2, '0') || ') '
            || lpad(((hashint8(i * 64 + 19) & 2147483647) % 1000)::text, 3, '0') || '-'
            || lpad(((hashint8(i * 64 + 20) & 2147483647) % 100)::text, 2, '0') || '-'
            || lpad(((hashint8(i * 64 + 21) & 2147483647) % 100)::text, 2, '0') END AS phone,
        CASE WHEN pg_temp.u(i, 22) < 0.5 THEN floor(pg_temp.u(i, 23) * 5)::int END AS time_k,
        CASE WHEN pg_temp.u(i, 24) < 0.7 THEN floor(pg_temp.u(i, 25) * 4)::int END AS method_k,
        CASE WHEN pg_temp.u(i, 26) < 0.6 THEN md5('visit' || i)::uuid END AS visit_id,
        (ARRAY['yandex.ru', 'mail.ru', 'gmail.com', 'bk.ru', 'inbox.ru', 'rambler.ru'])[1 + floor(pg_temp.u(i, 27) * 6)::int] AS domain
    FROM generate_series(1, :n) AS i
),
orders AS (
    SELECT r.*, p.name, p.surname,
        CASE WHEN r.has_patronymic THEN p.patronymic END AS patronymic,
        p.latin || '.' || p.latin_surname || r.i || '@' || r.domain AS email,
        s.ids[r.service_k] AS service_id, s.names[r.service_k] AS service_name,
        inf.info, ni.niche, co.comment, bu.budget AS budget_text, si.size AS size_text,
        de.deadline AS deadline_text,
        (ARRAY['после 18:00', 'в будни с 10 до 12', 'в любое время', 'утром', 'с 14 до 17 по Москве'])[1 + r.time_k] AS convenient_time,
        (ARRAY['Телефон', 'Email', 'Telegram', 'WhatsApp'])[1 + r.method_k] AS method,
        COALESCE(bu.points, 10) AS score_budget,
        COALESCE(si.points, 5) AS score_size,
        CASE WHEN co.urgent THEN 30 ELSE COALESCE(de.points, 5) END AS score_urgency,
        now() - r.created_at > interval '14 days' AS old
    FROM rows r
    JOIN people p ON p.k = r.person
    CROSS JOIN services_list s
    LEFT JOIN infos inf ON inf.k = r.info_k
    LEFT JOIN niches ni ON ni.k = r.niche_k
    LEFT JOIN comments co ON co.k = r.comment_k
    LEFT JOIN budgets bu ON bu.k = r.budget_k
    LEFT JOIN sizes si ON si.k = r.size_k
    LEFT JOIN deadlines de ON de.k = r.deadline_k
),
staged AS (
    SELECT o.*,
        -- Older leads are mostly decided; recent ones mostly new.
        CASE WHEN o.old THEN
                CASE WHEN o.status_u < 0.05 THEN 'NEW' WHEN o.status_u < 0.2 THEN 'IN_PROGRESS'
                     WHEN o.status_u < 0.55 THEN 'WON' ELSE 'LOST' END
             ELSE
                CASE WHEN o.status_u < 0.5 THEN 'NEW' WHEN o.status_u < 0.85 THEN 'IN_PROGRESS'
                     WHEN o.status_u < 0.93 THEN 'WON' ELSE 'LOST' END
        END AS status,
        o.score_budget + o.score_size + o.score_urgency AS score
    FROM orders o
)
INSERT INTO applications (
    id, name, surname, patronymic, email, phone, service_id, service_name, business_info,
    business_niche, company_size, budget, deadline, convenient_time, preferred_contact_method,
    additional_comments, score, score_budget, score_company_size, score_urgency, priority, status,
    lost_reason, first_response_at, visit_id, fingerprint, dedup_key, dedup_key_alt, search_text,
    sort_name, created_at)
SELECT
    -- Time-ordered ids like the server's UUIDv7.
    (lpad(to_hex((extract(epoch FROM created_at) * 1000)::bigint), 12, '0') || '7'
        || substr(md5('id' || i), 1, 3) || '8' || substr(md5('id' || i), 4, 15))::uuid,
    name, surname, patronymic, email, phone, service_id, service_name, info, niche, size_text,
    budget_text, deadline_text, convenient_time, method, comment,
    score, score_budget, score_size, score_urgency,
    CASE WHEN score > 80 THEN 'URGENT' WHEN score >= 50 THEN 'MEDIUM' ELSE 'LOW' END,
    status,
    CASE WHEN status = 'LOST' THEN (ARRAY['Дорого', 'Выбрали другого подрядчика', 'Не отвечает', 'Передумали'])[1 + (i % 4)] END,
    CASE WHEN status <> 'NEW' THEN created_at + response_u * interval '2 days' END,
    visit_id, NULL, NULL, NULL,
    -- The searched fields in form order, lower-cased with ё as е, then the phone's digits.
    replace(lower(concat_ws(E'\n', name, surname, patronymic, email, phone, service_name, info, niche, comment)), 'ё', 'е')
        || CASE WHEN phone IS NOT NULL THEN E'\n' || regexp_replace(phone, '[^0-9]', '', 'g') ELSE '' END,
    -- The name sort's key as the server folds it (LeadText::sort_name): these names are
    -- Cyrillic, which the database's lower() folds as the server does.
    replace(lower(concat_ws(' ', surname, name, patronymic)), 'ё', 'е'),
    created_at
FROM staged;

COMMIT;
