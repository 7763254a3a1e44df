#include "gateway/store/redis_reply_reader.hpp"

#include <algorithm>
#include <new>

namespace ordergate::gateway::store {
namespace {

// hiredis' default objects were copied into RedisReply and freed again: for a batch of outbox
// entries (kilobytes each) that was two allocations and a copy per string.

RedisReply::Type typeOf(int hiredis_type) {
  switch (hiredis_type) {
    case REDIS_REPLY_STRING:
      return RedisReply::Type::kString;
    case REDIS_REPLY_STATUS:
      return RedisReply::Type::kStatus;
    case REDIS_REPLY_ERROR:
      return RedisReply::Type::kError;
    case REDIS_REPLY_INTEGER:
      return RedisReply::Type::kInteger;
    case REDIS_REPLY_ARRAY:
      return RedisReply::Type::kArray;
    default:
      return RedisReply::Type::kNil;
  }
}

/// The object for `task`: a new root, or the element its parent array already holds. The
/// return value becomes task->obj, which children find through their parent task.
void* placeReply(const redisReadTask* task, ReplyRoot** root, RedisReply** node) {
  *root = nullptr;
  if (task->parent == nullptr) {
    *root = new (std::nothrow) ReplyRoot;
    if (*root == nullptr) {
      return nullptr;
    }
    (*root)->head.type = task->type;
    *node = &(*root)->reply;
  } else {
    const redisReadTask* parent = task->parent;
    RedisReply* array = parent->parent == nullptr ? &static_cast<ReplyRoot*>(parent->obj)->reply
                                                  : static_cast<RedisReply*>(parent->obj);
    *node = &array->elements[static_cast<std::size_t>(task->idx)];
  }
  (*node)->type = typeOf(task->type);
  return *root != nullptr ? static_cast<void*>(*root) : static_cast<void*>(*node);
}

void* createStringReply(const redisReadTask* task, char* str, size_t len) {
  ReplyRoot* root;
  RedisReply* node;
  void* obj = placeReply(task, &root, &node);
  if (obj != nullptr) {
    node->str.assign(str, len);
    if (root != nullptr) {
      root->head.str = root->reply.str.data();
      root->head.len = len;
    }
  }
  return obj;
}

void* createArrayReply(const redisReadTask* task, int elements) {
  ReplyRoot* root;
  RedisReply* node;
  void* obj = placeReply(task, &root, &node);
  if (obj != nullptr) {
    // Sized once, before any child is placed: children live in this vector.
    node->elements.resize(static_cast<std::size_t>(std::max(0, elements)));
    if (root != nullptr) {
      root->head.elements = node->elements.size();
    }
  }
  return obj;
}

void* createIntegerReply(const redisReadTask* task, long long value) {
  ReplyRoot* root;
  RedisReply* node;
  void* obj = placeReply(task, &root, &node);
  if (obj != nullptr) {
    node->integer = value;
    if (root != nullptr) {
      root->head.integer = value;
    }
  }
  return obj;
}

// A nil bulk string or array arrives with the task type of the string or array.
void* createNilReply(const redisReadTask* task) {
  ReplyRoot* root;
  RedisReply* node;
  void* obj = placeReply(task, &root, &node);
  if (obj != nullptr) {
    node->type = RedisReply::Type::kNil;
    if (root != nullptr) {
      root->head.type = REDIS_REPLY_NIL;
    }
  }
  return obj;
}

// Only roots are freed by hiredis; elements go with their root.
void freeReply(void* obj) { delete static_cast<ReplyRoot*>(obj); }

}  // namespace

redisReplyObjectFunctions* replyObjectFunctions() {
  // Debian 12's hiredis 0.14 layout of the table (1.x added RESP3 members).
  static redisReplyObjectFunctions functions = {createStringReply, createArrayReply,
                                                createIntegerReply, createNilReply, freeReply};
  return &functions;
}

}  // namespace ordergate::gateway::store
