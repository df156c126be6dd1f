#ifndef _INCLUDED_scrutable_syn_pre_codeobject
#define _INCLUDED_scrutable_syn_pre_codeobject

void _run_scrutable_syn_pre_codeobject();

void _debugmsg_scrutable_syn_pre_codeobject();

#endif
