-- The services the seeded orders name (the order page's list).
INSERT INTO services (id, name, name_key, description, created_at, updated_at)
SELECT md5('service' || name)::uuid, name, key, name || ': от идеи до запуска.', now(), now()
FROM (VALUES
    ('Сайт под ключ', 'сайт под ключ'),
    ('Интернет-магазин', 'интернет-магазин'),
    ('Мобильное приложение', 'мобильное приложение'),
    ('SEO-продвижение', 'seo-продвижение'),
    ('Поддержка сайта', 'поддержка сайта'),
    ('CRM и автоматизация', 'crm и автоматизация')
) AS s(name, key);
