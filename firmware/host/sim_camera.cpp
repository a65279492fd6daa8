// One camera on a virtual clock (see sim_camera.hpp).
#include "firmware/host/sim_camera.hpp"

namespace bwc::host {

namespace {

fw::Nvram initial_nvram(const SimCameraOptions& o) {
    fw::Nvram n;
    n.profile = o.profile;
    if (o.provisioned) {
        n.shipping_mode = false;
        n.added_to_system = true;
        n.user = o.user;
        // The clock starts at undocked_for: the camera left its dock at 0.
        n.last_undocked_at = Millis{0};
        n.certificate_renewed_at = Millis{0};
    }
    return n;
}

} // namespace

SimCamera::SimCamera(SimCameraOptions options)
    : options_(std::move(options)), cell_(clock_, CellParams{}, options_.battery_soc_percent),
      storage_(clock_, options_.storage_bytes.value_or(
                           fw::model_spec(options_.model).media.storage_bytes)) {
    clock_.set(options_.undocked_for);
    cell_.set_temperature(options_.temperature_dc);
    fw::CameraPorts ports{clock_, cell_, cell_, storage_, options_.radios};
    camera_ = std::make_unique<fw::Camera>(options_.model, options_.identity,
                                           initial_nvram(options_), ports);
    cell_.set_load([this] {
        const auto& spec = camera_->spec();
        switch (camera_->power()) {
        case fw::PowerState::On:
        case fw::PowerState::Booting:
        case fw::PowerState::Restarting:
            return camera_->activity() == fw::Activity::Recording ? spec.draw.recording_ma
                                                                  : spec.draw.standby_ma;
        default:
            return spec.draw.off_ma;
        }
    });
}

void SimCamera::run_until(Millis t) {
    while (auto due = camera_->next_deadline()) {
        if (*due > t)
            break;
        clock_.set(*due);
        camera_->advance();
        deliver_modem_replies();
    }
    clock_.set(t);
    camera_->advance();
    deliver_modem_replies();
}

void SimCamera::deliver_modem_replies() {
    if (!options_.modem_replies)
        return;
    while (std::optional<std::string> reply = options_.modem_replies())
        camera_->modem_bytes(*reply);
}

void SimCamera::press(fw::Button button, Millis held) {
    camera_->button(button, true);
    run_for(held);
    camera_->button(button, false);
}

void SimCamera::double_press(fw::Button button, Millis held, Millis gap_between_releases) {
    press(button, held);
    run_for(gap_between_releases - held);
    press(button, held);
}

void SimCamera::dock(bool vbus) {
    cell_.set_external_power(vbus);
    camera_->dock(vbus);
}

void SimCamera::undock() {
    cell_.set_external_power(false);
    camera_->undock();
}

void SimCamera::link_controller(std::optional<std::string> user) {
    fw::ControllerState c;
    c.link_up = true;
    c.camera_added = true;
    c.user = std::move(user);
    camera_->set_controller(c);
}

fw::Snapshot SimCamera::snapshot() {
    camera_->advance();
    return camera_->snapshot();
}

} // namespace bwc::host
