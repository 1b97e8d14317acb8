-- Orders as the public form sends them: varied Russian payloads, required fields always and
-- optional ones only when "filled" (the form omits empty ones), the form's select values for
-- size, budget, deadline and contact method, a service from the list or none, and the
-- tracker's visit id on most orders (one order per visit).
--
-- wrk -t2 -c32 -d20s -s bench/lua/orders.lua URL -- TAG DOCUMENT SERVICE_IDS VISIT_TAG VISITS
--   TAG          8 hex digits naming the run (e-mail addresses carry it)
--   DOCUMENT     the SubmitApplication document text of the public page
--   SERVICE_IDS  comma-separated ids of existing services
--   VISIT_TAG    tag of an earlier tracker run: orders name its visits, so most link to a
--                real visit (and, once that run's visits are used up, to none yet, as an
--                order sent before its first batch does)

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
package.path = dir .. "?.lua;" .. package.path
local common = require("common")

-- { name, surname, patronymic, latin } per gender.
local MEN = {
  { "Алексей", "Иванов", "Сергеевич", "aleksey" }, { "Дмитрий", "Смирнов", "Андреевич", "dmitry" },
  { "Сергей", "Кузнецов", "Викторович", "sergey" }, { "Андрей", "Попов", "Игоревич", "andrey" },
  { "Михаил", "Соколов", "Олегович", "mikhail" }, { "Иван", "Лебедев", "Петрович", "ivan" },
  { "Никита", "Козлов", "Александрович", "nikita" }, { "Артём", "Новиков", "Дмитриевич", "artem" },
  { "Павел", "Морозов", "Юрьевич", "pavel" }, { "Константин", "Волков", "Николаевич", "konstantin" },
  { "Владимир", "Фёдоров", "Ильич", "vladimir" }, { "Евгений", "Орлов", "Романович", "evgeny" },
}
local WOMEN = {
  { "Анна", "Иванова", "Сергеевна", "anna" }, { "Мария", "Смирнова", "Андреевна", "maria" },
  { "Елена", "Кузнецова", "Викторовна", "elena" }, { "Ольга", "Попова", "Игоревна", "olga" },
  { "Наталья", "Соколова", "Олеговна", "natalia" }, { "Татьяна", "Лебедева", "Петровна", "tatiana" },
  { "Ирина", "Козлова", "Александровна", "irina" }, { "Екатерина", "Новикова", "Дмитриевна", "ekaterina" },
  { "Светлана", "Морозова", "Юрьевна", "svetlana" }, { "Юлия", "Волкова", "Николаевна", "yulia" },
  { "Ксения", "Фёдорова", "Ильинична", "ksenia" }, { "Дарья", "Орлова", "Романовна", "daria" },
}
local SURNAMES_LATIN = {
  "ivanov", "smirnov", "kuznetsov", "popov", "sokolov", "lebedev", "kozlov", "novikov",
  "morozov", "volkov", "fedorov", "orlov",
}
local DOMAINS = { "yandex.ru", "mail.ru", "gmail.com", "bk.ru", "inbox.ru", "rambler.ru" }
local NICHES = {
  "Стоматология", "Розничная торговля одеждой", "Кофейня", "Грузоперевозки", "Фитнес-клуб",
  "Производство мебели", "Онлайн-школа английского", "Салон красоты", "Строительство домов",
  "Юридические услуги", "Интернет-магазин электроники", "Ветеринарная клиника",
}
local INFOS = {
  "Сеть из трёх клиник в Казани, хотим единый сайт с онлайн-записью.",
  "Небольшой магазин, продаём через маркетплейсы, нужен свой сайт и CRM.",
  "Кофейня у метро, планируем доставку и программу лояльности.",
  "Парк из 40 грузовиков, нужен расчёт стоимости перевозки на сайте.",
  "Работаем с 2015 года, 200 постоянных клиентов, хотим автоматизировать заявки.",
  "Стартап, пока только идея и прототип в Figma.",
  "Производим кухни на заказ, нужен конфигуратор и каталог.",
  "Онлайн-школа, 1500 учеников, нужна интеграция с платёжной системой.",
}
local COMMENTS = {
  "Срочно, запуск рекламы на следующей неделе!",
  "Не срочно, можно обсудить в следующем месяце.",
  "Пришлите, пожалуйста, примеры похожих проектов и коммерческое предложение.",
  "Звоните после обеда, до этого совещания.",
  "Нужна смета и сроки, сравниваем несколько подрядчиков.",
  "Горит, старый подрядчик пропал, сайт лежит.",
  "Хотим начать с аудита текущего сайта.",
  "Бюджет обсуждаем, главное качество.",
}
local SIZES = { "до 50", "50–100", "100–500", "500+" }
local BUDGETS = { "до 500 тыс. ₽", "500 тыс. – 1 млн ₽", "1–5 млн ₽", "от 5 млн ₽" }
local DEADLINES = { "1 неделя", "1 месяц", "2–3 месяца", "3 месяца и более" }
local METHODS = { "Телефон", "Email", "Telegram", "WhatsApp" }
local TIMES = { "после 18:00", "в будни с 10 до 12", "в любое время", "утром", "с 14 до 17 по Москве" }

local tag, services, visit_tag
-- The body up to the order's fields: the same for every request, so made once.
local body_head
local counter = 0

function init(args)
  tag = args[1] or "d0000000"
  body_head = '{"query":' .. common.str(args[2] or "") .. ',"variables":{"input":{'
  services = common.split(args[3])
  visit_tag = args[4] or "b0000000"
  math.randomseed((thread_id or 1) * 104729 + tonumber(tag, 16) % 100003)
end

local function pick(list)
  return list[math.random(#list)]
end

local function maybe(share, value)
  return math.random() < share and value or nil
end

local function order()
  counter = counter + 1
  local person = math.random() < 0.5 and pick(MEN) or pick(WOMEN)
  local fields = {
    { "name", person[1] },
    { "surname", person[2] },
    {
      "email",
      string.format("%s.%s.%s%d%d@%s", person[4], pick(SURNAMES_LATIN), tag:sub(-4), thread_id, counter, pick(DOMAINS)),
    },
    { "patronymic", maybe(0.6, person[3]) },
    {
      "phone",
      maybe(0.7, string.format("+7 (9%02d) %03d-%02d-%02d", math.random(0, 99), math.random(0, 999), math.random(0, 99), math.random(0, 99))),
    },
    { "serviceId", #services > 0 and maybe(0.75, pick(services)) or nil },
    { "businessInfo", maybe(0.6, pick(INFOS)) },
    { "businessNiche", maybe(0.7, pick(NICHES)) },
    { "companySize", maybe(0.8, pick(SIZES)) },
    { "budget", maybe(0.85, pick(BUDGETS)) },
    { "deadline", maybe(0.8, pick(DEADLINES)) },
    { "convenientTime", maybe(0.5, pick(TIMES)) },
    { "preferredContactMethod", maybe(0.7, pick(METHODS)) },
    { "additionalComments", maybe(0.5, pick(COMMENTS)) },
    -- One order per visit: the n-th order of this thread names the n-th visit of the
    -- tracker run's thread of the same number.
    { "visitId", maybe(0.7, common.uuid(visit_tag, thread_id, counter)) },
  }
  local parts = {}
  for _, f in ipairs(fields) do
    if f[2] then
      parts[#parts + 1] = common.str(f[1]) .. ":" .. common.str(f[2])
    end
  end
  -- The form's consent box: required, always ticked on a sent form.
  parts[#parts + 1] = '"consent":true'
  return body_head .. table.concat(parts, ",") .. "}}}"
end

function request()
  return common.post("/graphql", order())
end

function response(status, headers, body)
  common.count(status, body)
end

setup = common.setup

function done(summary, latency, requests)
  common.done(summary, latency)
end
