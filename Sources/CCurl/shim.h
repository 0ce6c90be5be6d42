#ifndef OUTCOMED_CCURL_SHIM_H
#define OUTCOMED_CCURL_SHIM_H

#include <curl/curl.h>

/* Typed wrappers over libcurl's variadic setters and getters, which Swift cannot call. */

static inline CURLcode outcomed_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode outcomed_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode outcomed_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode outcomed_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode outcomed_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

typedef size_t (*outcomed_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode outcomed_easy_setopt_callback(CURL *handle, CURLoption option, outcomed_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode outcomed_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode outcomed_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode outcomed_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode outcomed_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

#endif
