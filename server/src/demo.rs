//! `server seed-demo`: a living dashboard for a newcomer — realistic services and a month of
//! orders across every temperature and status. Orders go through the real intake (validation,
//! scoring); only their dates and pipeline state are then set back in time.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait, PaginatorTrait};
use uuid::Uuid;

use crate::{
    business::{self, RawSettings, SettingsDraft},
    db::entities::lead,
    error::{AppError, AppResult},
    events::Events,
    leads::{
        Actor, LeadStatus, LeadText, history,
        intake::{self, Submission},
    },
    metrics::{Aggregator, Batch, BatchInput, BusinessClock, FieldInput, ingest, snapshot},
    services::{self, ServiceDraft},
    values::now,
};

/// Name, description and "from" price in roubles.
const SERVICES: [(&str, &str, i64); 6] = [
    (
        "Разработка сайта",
        "Корпоративные сайты и лендинги под ключ",
        120_000,
    ),
    (
        "Интернет-магазин",
        "Каталог, корзина, онлайн-оплата и интеграция с 1С",
        250_000,
    ),
    (
        "SEO-продвижение",
        "Аудит, семантика и рост органического трафика",
        35_000,
    ),
    (
        "Контекстная реклама",
        "Яндекс Директ: настройка и ведение кампаний",
        25_000,
    ),
    (
        "Мобильное приложение",
        "iOS и Android, от прототипа до публикации",
        600_000,
    ),
    (
        "Аудит и консалтинг",
        "Разбор воронки продаж и план улучшений",
        15_000,
    ),
];

/// A believable small studio: what the public page shows until the owner edits it.
fn demo_settings() -> RawSettings<'static> {
    RawSettings {
        name: Some("Веб-студия «Северный ветер»"),
        about: Some(
            "Делаем сайты, магазины и рекламу для малого бизнеса с 2014 года. \
             Отвечаем в течение рабочего дня.",
        ),
        phone: Some("+7 (812) 555-01-23"),
        email: Some("hello@severny-veter.example"),
        telegram: Some("@severny_veter"),
        whatsapp: Some("+7 921 555-01-23"),
        address: Some("Санкт-Петербург, Лиговский проспект, 50, офис 312"),
        policy_text: Some(
            "Мы обрабатываем имя, e-mail, телефон и сведения о вашем бизнесе, которые вы \
             отправляете в заявке, только чтобы ответить на неё и подготовить предложение. \
             Вместе с заявкой мы видим, сколько времени вы провели на странице и какие её \
             элементы нажимали. Данные хранятся не дольше трёх лет и не передаются третьим \
             лицам. Отозвать согласие или удалить данные можно письмом на \
             hello@severny-veter.example.",
        ),
        consent_text: Some(
            "Я согласен на обработку моих персональных данных в соответствии с политикой \
             конфиденциальности (152-ФЗ).",
        ),
        primary_color: Some("#0f766e"),
        currency: Some("RUB"),
        ..RawSettings::default()
    }
}

const PEOPLE: [(&str, &str, &str); 10] = [
    ("Алексей", "Смирнов", "Игоревич"),
    ("Мария", "Иванова", "Сергеевна"),
    ("Дмитрий", "Кузнецов", "Андреевич"),
    ("Елена", "Попова", "Викторовна"),
    ("Сергей", "Соколов", "Павлович"),
    ("Анна", "Лебедева", "Олеговна"),
    ("Игорь", "Козлов", "Николаевич"),
    ("Ольга", "Новикова", "Дмитриевна"),
    ("Павел", "Морозов", "Алексеевич"),
    ("Наталья", "Волкова", "Ивановна"),
];

const NICHES: [&str; 8] = [
    "Стоматология",
    "Логистика",
    "Ритейл одежды",
    "Строительство",
    "Юридические услуги",
    "Онлайн-школа",
    "Производство мебели",
    "Ресторан",
];
// The form's codes (`leads::choices`), as the public page sends them.
const BUDGETS: [&str; 4] = [
    "budget_under_500k",
    "budget_500k_1m",
    "budget_1m_5m",
    "budget_5m_plus",
];
const SIZES: [&str; 4] = [
    "size_under_50",
    "size_50_100",
    "size_100_500",
    "size_500_plus",
];
const DEADLINES: [&str; 4] = [
    "deadline_1_week",
    "deadline_1_month",
    "deadline_2_3_months",
    "deadline_3_months_plus",
];
const CONTACTS: [&str; 4] = [
    "contact_phone",
    "contact_email",
    "contact_telegram",
    "contact_whatsapp",
];
const COMMENTS: [&str; 6] = [
    "",
    "Срочно! Запуск рекламной кампании через неделю.",
    "Без особой срочности, собираем предложения.",
    "Есть старый сайт, нужен редизайн.",
    "Хотим интеграцию с CRM.",
    "Перезвоните, пожалуйста, после обеда.",
];
const LOST_REASONS: [&str; 3] = [
    "Выбрали другого подрядчика",
    "Бюджет не согласован",
    "Не вышли на связь",
];

/// Who took the demo's orders up: the card's history names somebody, as it would at a real desk.
const DEMO_MANAGER: &str = "manager@example.ru";

pub const DEMO_ORDERS: usize = 42;
pub const DEMO_EXTRA_VISITS: usize = 260;

const FORM_FIELDS: [&str; 8] = [
    "name",
    "surname",
    "email",
    "phone",
    "serviceId",
    "budget",
    "deadline",
    "additionalComments",
];
// Click keys as the tracker counts them on the public page (`public-site/index.html`): every
// one is an element there, so the statistics name it by the page's own label.
const ELEMENTS: [&str; 5] = ["submit", "f-serviceId", "f-phone", "f-email", "f-consent"];

/// A plausible visit: batches of up to a minute, the cursor mostly around the form, a few
/// clicks, and form fields touched (up to the last one when nobody ordered).
#[allow(clippy::too_many_arguments)]
async fn demo_visit(
    db: &DatabaseConnection,
    clock: &BusinessClock,
    metrics: &Aggregator,
    rng: &mut Lcg,
    visitor: Uuid,
    visit: Uuid,
    started: DateTime<Utc>,
    ordered: bool,
) -> AppResult<()> {
    let width = [390, 820, 1440, 1920][rng.next(4)];
    let mut left = (rng.next(if ordered { 400 } else { 150 }) + 5) as i32;
    let fields_touched = if ordered {
        FORM_FIELDS.len()
    } else {
        rng.next(4)
    };
    let mut seq = 0;
    while left > 0 {
        seq += 1;
        let seconds = left.min(60);
        left -= seconds;
        let points = (0..rng.next(30) + 5)
            .map(|_| {
                let near_form = rng.next(10) < 7;
                let x = if near_form {
                    0.3 + rng.next(40) as f64 / 100.0
                } else {
                    rng.next(100) as f64 / 100.0
                };
                let y = if near_form {
                    400 + rng.next(900)
                } else {
                    rng.next(2000)
                } as i32;
                (x, y)
            })
            .collect();
        let clicks = (0..rng.next(3))
            .map(|_| (ELEMENTS[rng.next(ELEMENTS.len())].to_owned(), 1))
            .collect();
        let fields = if seq == 1 {
            (0..fields_touched)
                .map(|i| FieldInput {
                    name: FORM_FIELDS[i].to_owned(),
                    focus_count: 1,
                    focused_ms: (rng.next(8000) + 500) as i32,
                    last_touched: i + 1 == fields_touched,
                })
                .collect()
        } else {
            Vec::new()
        };
        let batch = Batch::parse(
            &BatchInput {
                visitor_id: visitor.to_string(),
                visit_id: visit.to_string(),
                seq,
                page: "/".to_owned(),
                viewport_width: width,
                viewport_height: 800,
                engaged_seconds: seconds,
                clicks,
                points,
                fields,
            },
            &["/".to_owned()],
        )?;
        let at = started + Duration::seconds(i64::from(seq * 60));
        ingest::apply(db, clock, metrics, &batch, at).await?;
    }
    Ok(())
}

/// A small deterministic generator: the same demo every time, no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

#[derive(Debug)]
pub struct DemoReport {
    pub services: usize,
    pub orders: usize,
    pub visits: usize,
}

pub async fn seed(db: &DatabaseConnection, timezone: chrono_tz::Tz) -> AppResult<DemoReport> {
    if lead::Entity::find().count(db).await? > 0 {
        return Err(AppError::Forbidden(
            "The database already has orders: demo data goes only into an empty one",
        ));
    }
    let events = Events::new();
    let metrics = Aggregator::new();
    let clock = BusinessClock::new(timezone);
    if business::get(db).await?.updated_at.is_none() {
        business::update(db, &events, SettingsDraft::parse(&demo_settings())?).await?;
    }
    // Demo orders choose among the services on offer: a hidden one would be refused.
    let mut service_list = services::list(db, services::Listed::Offered).await?;
    if service_list.is_empty() {
        if !services::list(db, services::Listed::All).await?.is_empty() {
            return Err(AppError::Forbidden(
                "Every service is hidden: show one before adding demo orders",
            ));
        }
        for (name, description, price) in SERVICES {
            let draft = ServiceDraft::parse_priced(name, Some(description), Some(price))?;
            services::create(db, &events, draft).await?;
        }
        service_list = services::list(db, services::Listed::Offered).await?;
    }

    let mut rng = Lcg(0x0D0E_5EED);
    let today = now();
    for i in 0..DEMO_ORDERS {
        let (name, surname, patronymic) = PEOPLE[i % PEOPLE.len()];
        let service = &service_list[rng.next(service_list.len())];
        // A third hot, a third warm, a third cold: (budget, company size, deadline) bands.
        let (budget, size, deadline) = match i % 3 {
            0 => (2 + rng.next(2), 3, 0),
            1 => (1 + rng.next(2), 1 + rng.next(2), 1 + rng.next(2)),
            _ => (0, rng.next(2), 3),
        };
        // Only hot leads may shout "срочно".
        let comment = if i % 3 == 0 {
            COMMENTS[rng.next(COMMENTS.len())]
        } else {
            COMMENTS[2 + rng.next(COMMENTS.len() - 2)]
        };
        // A field added to the form later stays empty in the demo.
        #[allow(clippy::needless_update)]
        let text = LeadText {
            name: name.to_owned(),
            surname: surname.to_owned(),
            patronymic: Some(patronymic.to_owned()),
            email: format!("client{}@example.ru", i + 1),
            phone: Some(format!(
                "+7 (9{:02}) {:03}-{:02}-{:02}",
                rng.next(100),
                rng.next(1000),
                rng.next(100),
                rng.next(100)
            )),
            business_info: Some(format!("Компания в сфере «{}»", NICHES[i % NICHES.len()])),
            business_niche: Some(NICHES[i % NICHES.len()].to_owned()),
            company_size: Some(SIZES[size].to_owned()),
            budget: Some(BUDGETS[budget].to_owned()),
            deadline: Some(DEADLINES[deadline].to_owned()),
            convenient_time: Some(
                ["утро", "после 14:00", "вечер", "в любое время"][rng.next(4)].to_owned(),
            ),
            preferred_contact_method: Some(CONTACTS[rng.next(CONTACTS.len())].to_owned()),
            additional_comments: (!comment.is_empty()).then(|| comment.to_owned()),
            ..LeadText::default()
        };
        let visit_id = Uuid::new_v4();
        let submission = Submission::parse(
            text,
            Some(&service.id.to_string()),
            Some(&visit_id.to_string()),
            None,
        )?
        .consented(Some(true))?;
        let receipt = intake::store(db, &events, &metrics, submission).await?;

        let age = Duration::minutes((rng.next(30 * 24 * 60) + 30) as i64);
        let created_at = today - age;
        let status = [
            LeadStatus::New,
            LeadStatus::InProgress,
            LeadStatus::Won,
            LeadStatus::Lost,
        ][(i / 3) % 4];
        let first_response_at = (status != LeadStatus::New)
            .then(|| created_at + Duration::minutes((rng.next(48 * 60) + 5) as i64))
            .map(|t| t.min(today));
        // Won and lost orders were in progress first, for up to a week.
        let closed_at = matches!(status, LeadStatus::Won | LeadStatus::Lost)
            .then(|| first_response_at.map(|t| t + Duration::minutes(rng.next(7 * 24 * 60) as i64)))
            .flatten()
            .map(|t| t.min(today));
        let lost_reason = (status == LeadStatus::Lost).then(|| LOST_REASONS[rng.next(3)]);
        lead::Entity::update(lead::ActiveModel {
            id: sea_orm::ActiveValue::Unchanged(receipt.id),
            created_at: Set(created_at),
            status: Set(status),
            first_response_at: Set(first_response_at),
            // Taken up means read: only the NEW orders wait unopened.
            opened_at: Set(first_response_at),
            lost_reason: Set(lost_reason.map(str::to_owned)),
            ..Default::default()
        })
        .exec(db)
        .await?;
        record_moves(
            db,
            receipt.id,
            first_response_at,
            closed_at.map(|t| (status, t, lost_reason)),
        )
        .await?;
        // The visit that produced the order, a few minutes before it.
        let started = created_at - Duration::minutes((rng.next(20) + 3) as i64);
        let visitor = Uuid::new_v4();
        demo_visit(
            db, &clock, &metrics, &mut rng, visitor, visit_id, started, true,
        )
        .await?;
    }
    // Visitors who looked and left, some of them more than once.
    let mut visitors: Vec<Uuid> = Vec::new();
    for _ in 0..DEMO_EXTRA_VISITS {
        let visitor = if !visitors.is_empty() && rng.next(10) < 3 {
            visitors[rng.next(visitors.len())]
        } else {
            let v = Uuid::new_v4();
            visitors.push(v);
            v
        };
        let started = today - Duration::minutes((rng.next(30 * 24 * 60) + 1) as i64);
        demo_visit(
            db,
            &clock,
            &metrics,
            &mut rng,
            visitor,
            Uuid::new_v4(),
            started,
            false,
        )
        .await?;
    }
    metrics.flush(db).await?;
    // The visits went into past days: a running server's snapshots must be rebuilt.
    snapshot::invalidate(db).await?;
    Ok(DemoReport {
        services: service_list.len(),
        orders: DEMO_ORDERS,
        visits: DEMO_ORDERS + DEMO_EXTRA_VISITS,
    })
}

/// The status history a taken-up demo order would have: NEW → IN_PROGRESS when it was first
/// answered, then on to WON or LOST (with its reason) when it was closed.
async fn record_moves(
    db: &DatabaseConnection,
    lead_id: Uuid,
    taken_up: Option<DateTime<Utc>>,
    closed: Option<(LeadStatus, DateTime<Utc>, Option<&str>)>,
) -> AppResult<()> {
    let manager = Actor::Admin {
        id: Uuid::nil(),
        email: DEMO_MANAGER.to_owned(),
    };
    if let Some(at) = taken_up {
        let taken = history::Move {
            from: Some(LeadStatus::New),
            to: LeadStatus::InProgress,
            lost_reason: None,
        };
        history::record(db, lead_id, taken, &manager, at).await?;
    }
    if let Some((to, at, lost_reason)) = closed {
        let closed = history::Move {
            from: Some(LeadStatus::InProgress),
            to,
            lost_reason,
        };
        history::record(db, lead_id, closed, &manager, at).await?;
    }
    Ok(())
}
