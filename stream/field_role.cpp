#include "stream/field_role.h"

#include <string>
#include <utility>
#include <vector>

namespace streamlearn::stream {
namespace {

// The single-valued roles of a schema with the field each names (possibly empty).
std::vector<std::pair<FieldRole, std::string_view>> named_roles(const EventSchema& schema) {
  return {{FieldRole::kTarget, schema.target},
          {FieldRole::kKey, schema.key_field},
          {FieldRole::kId, schema.id_field},
          {FieldRole::kTime, schema.time_field}};
}

}  // namespace

FieldRole field_role(const EventSchema& schema, std::string_view name) {
  for (const auto& [role, field] : named_roles(schema))
    if (!field.empty() && field == name) return role;
  for (const std::string& entity : schema.entities)
    if (entity == name) return FieldRole::kEntity;
  for (const std::string& ignored : schema.ignore)
    if (ignored == name) return FieldRole::kIgnored;
  return FieldRole::kFeature;
}

std::string_view field_role_name(FieldRole role) {
  switch (role) {
    case FieldRole::kFeature:
      return "feature";
    case FieldRole::kTarget:
      return "target";
    case FieldRole::kKey:
      return "key field";
    case FieldRole::kEntity:
      return "entity field";
    case FieldRole::kId:
      return "id field";
    case FieldRole::kTime:
      return "time field";
    case FieldRole::kIgnored:
      return "ignored field";
  }
  return "field";
}

core::Status check_field_roles(const EventSchema& schema) {
  std::vector<std::pair<FieldRole, std::string_view>> roles = named_roles(schema);
  for (const std::string& entity : schema.entities) roles.emplace_back(FieldRole::kEntity, entity);
  for (const std::string& ignored : schema.ignore) roles.emplace_back(FieldRole::kIgnored, ignored);
  std::string errors;
  for (std::size_t i = 0; i < roles.size(); ++i) {
    if (roles[i].second.empty()) continue;
    for (std::size_t j = i + 1; j < roles.size(); ++j) {
      if (roles[j].second != roles[i].second || roles[j].first == roles[i].first) continue;
      if (!errors.empty()) errors += "; ";
      errors += "field '" + std::string(roles[i].second) + "' is configured as both the " +
                std::string(field_role_name(roles[i].first)) + " and the " +
                std::string(field_role_name(roles[j].first));
    }
  }
  if (errors.empty()) return core::Status::ok();
  return core::Status::error("the event schema gives a field two roles: " + errors +
                             "; give each field one role");
}

}  // namespace streamlearn::stream
