//! The JSON API under `/api`, with its OpenAPI document generated from the handlers.

mod account_requests;
mod break_glass;
mod certificate_check;
mod dashboard;
mod detections;
mod export;
mod federation;
mod federation_detectors;
mod federation_policy;
mod federation_training;
mod federation_withdrawals;
mod figures;
mod forms;
mod geometry;
mod hazards;
mod hub;
pub(crate) mod hub_cache;
pub(crate) mod hub_dashboard;
pub(crate) mod hub_map;
mod hub_report;
mod import;
mod items;
pub(crate) mod library;
mod library_exchange;
mod node_summary;
pub(crate) mod openapi;
mod orthophotos;
mod schemas;
pub use schemas::{TileJson, UiConfig};
mod params;
mod personal;
mod planning;
mod planning_tasks;
pub(crate) mod quasi;
mod records;
mod reference;
mod reference_pages;
mod reports;
mod review;
mod session;
mod submissions;
mod tokens;
mod tracks;
pub(crate) mod training;
mod users;
mod vocabularies;

pub(crate) use figures::file as download;
pub(crate) use forms::current_form_version;
pub(crate) use geometry::field_point;
pub(crate) use reports::{fill_work_organisation, own_organisation, within_programme_area};

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Safeground API",
        description = "Mine action information management: field reports and their review, \
                       approved items with versions, land release, users. Errors are RFC 9457 \
                       problem details; edits use ETag / If-Match."
    ),
    tags(
        (name = "session", description = "Login, logout, sessions and API tokens"),
        (name = "reports", description = "The report workflow"),
        (name = "items", description = "Approved items, versions, land release"),
        (name = "users", description = "Accounts and audit (administrators)"),
        (name = "break-glass", description = "Audited, time-boxed emergency access to victims' personal data"),
        (name = "training", description = "Training and certification register; public certificate check"),
        (name = "planning", description = "Operations planning: task orders, productivity, explained priorities, completion forecasts, risk models"),
        (name = "evidence", description = "Drone orthophotos, AI detections triaged by people, machine and robot tracks as processed-area evidence"),
        (name = "library", description = "Document library and full-text search in the region's languages"),
        (name = "federation", description = "Regional federation: the signed, de-identified feed a regional hub pulls"),
        (name = "ogc", description = "OGC API - Features"),
        (name = "tiles", description = "Vector tiles"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
struct ApiDoc;

/// Routes whose body is a file streamed into the library: outside the server's body-size
/// limit and request timeout (the library's own limit applies as the bytes arrive).
pub fn upload_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(library::add))
        .routes(routes!(library::add_version))
        .routes(routes!(reference_pages::add_photo))
        // The field app's reports with their photos, under the submission's own limits.
        .routes(routes!(submissions::put))
        // Evidence files: orthophotos (GBs, streamed to disk), detector outputs, track logs.
        .routes(routes!(orthophotos::add))
        .routes(routes!(detections::import))
        .routes(routes!(tracks::import))
}

/// Every route with an OpenAPI description.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(session::login))
        .routes(routes!(session::logout))
        .routes(routes!(session::me))
        .routes(routes!(forms::forms))
        .routes(routes!(orthophotos::list))
        .routes(routes!(orthophotos::tile))
        .routes(routes!(detections::list))
        .routes(routes!(detections::chip))
        .routes(routes!(detections::verdict))
        .routes(routes!(detections::metrics))
        .routes(routes!(tracks::list))
        .routes(routes!(tracks::get))
        .routes(routes!(submissions::of_report))
        .routes(routes!(submissions::of_item))
        .routes(routes!(submissions::get))
        .routes(routes!(tokens::create_token, tokens::list_tokens))
        .routes(routes!(tokens::revoke_token))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::disable))
        .routes(routes!(users::enable))
        .routes(routes!(users::reset_password))
        .routes(routes!(users::audit))
        .routes(routes!(account_requests::requests))
        .routes(routes!(account_requests::confirm))
        .routes(routes!(break_glass::open, break_glass::list))
        .routes(routes!(break_glass::close))
        .routes(routes!(break_glass::review))
        .routes(routes!(library::list))
        .routes(routes!(library::search))
        .routes(routes!(library::get, library::edit))
        .routes(routes!(library::download))
        .routes(routes!(library_exchange::manifest))
        .routes(routes!(library_exchange::file))
        .routes(routes!(training::courses))
        .routes(routes!(training::people, training::add_person))
        .routes(routes!(training::sessions, training::add_session))
        .routes(routes!(training::enrol))
        .routes(routes!(training::assess))
        .routes(routes!(training::certificates, training::certify))
        .routes(routes!(training::suspend))
        .routes(routes!(training::withdraw))
        .routes(routes!(training::figures))
        .routes(routes!(planning_tasks::tasks, planning_tasks::add_task))
        .routes(routes!(planning_tasks::status))
        .routes(routes!(planning_tasks::link))
        .routes(routes!(planning_tasks::teams))
        .routes(routes!(planning::productivity_rows))
        .routes(routes!(planning::criteria, planning::put_criteria))
        .routes(routes!(planning::settings, planning::put_settings))
        .routes(routes!(planning::ranking, planning::rank))
        .routes(routes!(planning::forecast))
        .routes(routes!(planning::risk))
        .routes(routes!(planning::layers))
        .routes(routes!(
            planning::layer,
            planning::put_layer,
            planning::delete_layer
        ))
        .routes(routes!(certificate_check::check))
        .routes(routes!(reports::list, reports::create))
        .routes(routes!(reports::get, reports::update))
        .routes(routes!(reports::submit))
        .routes(routes!(reports::review))
        .routes(routes!(reports::reconcile))
        .routes(routes!(reports::link))
        .routes(routes!(reports::approve))
        .routes(routes!(reports::reject))
        .routes(routes!(review::land_release))
        .routes(routes!(items::list))
        .routes(routes!(items::get, items::propose))
        .routes(routes!(items::versions))
        .routes(routes!(items::links))
        .routes(routes!(items::personal_data))
        .routes(routes!(hazards::list))
        .routes(routes!(geometry::preview))
        .routes(routes!(dashboard::dashboard))
        .routes(routes!(records::list))
        .routes(routes!(export::export))
        .routes(routes!(import::import))
        .routes(routes!(import::mappings))
        .routes(routes!(figures::figures))
        .routes(routes!(vocabularies::vocabularies))
        .routes(routes!(items::hazard_state))
        .routes(routes!(items::summary))
        .routes(routes!(federation::feed))
        .routes(routes!(federation_policy::policy))
        .routes(routes!(federation_training::summary))
        .routes(routes!(federation_detectors::summary))
        .routes(routes!(
            federation_withdrawals::list,
            federation_withdrawals::withdraw
        ))
        .routes(routes!(federation_withdrawals::reshare))
        .routes(routes!(hub::nodes))
        .routes(routes!(reference::published))
        .routes(routes!(reference::catalogue))
        .routes(routes!(reference_pages::list))
        .routes(routes!(reference_pages::get, reference_pages::put))
        .routes(routes!(reference_pages::delete_photo))
        .routes(routes!(reference_pages::photo))
        .routes(routes!(hub_map::tile))
        .routes(routes!(hub_map::tilejson))
        .routes(routes!(hub_map::border_hazards))
        .routes(routes!(hub_dashboard::dashboard))
        .routes(routes!(hub_report::report_xlsx))
        .routes(routes!(hub_report::report_pdf))
}
